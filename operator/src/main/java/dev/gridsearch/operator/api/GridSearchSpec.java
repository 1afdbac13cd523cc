package dev.gridsearch.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.gridsearch.operator.grid.TrialLayout;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * What the user asks for; see API.md. Defaults live in the schema, not in the reconciler. Rules sit
 * on the class (with fieldPath) because annotations on record components would be emitted twice.
 */
@ValidationRule(
    value = "self.parameters.all(p, self.parameters.exists_one(q, q.name == p.name))",
    message = "parameter names must be unique",
    fieldPath = ".parameters")
@ValidationRule(
    value = "self.parameters == oldSelf.parameters",
    message = "spec.parameters is immutable",
    fieldPath = ".parameters")
@ValidationRule(
    value = "self.objective == oldSelf.objective",
    message = "spec.objective is immutable",
    fieldPath = ".objective")
@ValidationRule(
    value =
        "(has(self.repeats) ? self.repeats : 1) == (has(oldSelf.repeats) ? oldSelf.repeats : 1)",
    message = "spec.repeats is immutable",
    fieldPath = ".repeats")
@ValidationRule(
    value = "(has(self.folds) ? self.folds : 1) == (has(oldSelf.folds) ? oldSelf.folds : 1)",
    message = "spec.folds is immutable",
    fieldPath = ".folds")
@ValidationRule(
    value = "self.trialTemplate == oldSelf.trialTemplate",
    message = "spec.trialTemplate is immutable",
    fieldPath = ".trialTemplate")
@ValidationRule(
    value =
        "has(self.queueName) == has(oldSelf.queueName) && (!has(self.queueName) || self.queueName == oldSelf.queueName)",
    message = "spec.queueName is immutable",
    fieldPath = ".queueName")
public record GridSearchSpec(
    @JsonPropertyDescription(
            "The grid's axes, 1 to 32: the grid is the Cartesian product of their values, the last parameter varying fastest. Immutable.")
        @Required
        @Size(min = 1, max = 32)
        List<Parameter> parameters,
    @JsonPropertyDescription(
            "The metric each trial reports and which direction is better. Immutable.")
        @Required
        Objective objective,
    @JsonPropertyDescription(
            "At most this many trials unfinished (created, not yet final) at once, 1 to 10000. May change at any time.")
        @Min(1)
        @Max(10000)
        @Default("1")
        Integer parallelism,
    @JsonPropertyDescription(
            "The search fails when more trials than this have failed (Failed or MetricsMissing). Unset: never.")
        @Min(0)
        Integer maxFailedTrials,
    @JsonPropertyDescription("Retries per trial, 0 to 10: becomes each trial Job's backoffLimit.")
        @Min(0)
        @Max(10)
        @Default("0")
        Integer trialRetries,
    @JsonPropertyDescription("True: launch no new trial, and suspend the running trials' Jobs.")
        @Default("false")
        Boolean suspend,
    @JsonPropertyDescription(
            "Hard caps on trials, wall time and resource-hours; when one is used up, running trials stop and the search succeeds.")
        Budget budget,
    @JsonPropertyDescription(
            "A Kueue LocalQueue: trial Jobs get the kueue.x-k8s.io/queue-name label and are created suspended. Immutable.")
        @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
        @Size(max = 63)
        String queueName,
    @JsonPropertyDescription("What happens to finished trials' Jobs.") Cleanup cleanup,
    @JsonPropertyDescription("How many of the best trials status.leaderboard keeps, 1 to 50.")
        @Min(1)
        @Max(50)
        @Default("5")
        Integer leaderboardSize,
    @JsonPropertyDescription(
            "The Job each trial runs, with ${params.NAME}, ${trial.index}, ${trial.name}, ${trial.seed}, ${trial.point}, ${trial.repeat}, ${trial.fold} and ${gridsearch.name} placeholders. Immutable.")
        @Required
        TrialTemplate trialTemplate,
    @JsonPropertyDescription(
            "Runs per point, 1 to 100, each with its own ${trial.seed}; a point's trials are aggregated (objective.aggregate). Immutable.")
        @Min(1)
        @Max(100)
        @Default("1")
        Integer repeats,
    @JsonPropertyDescription(
            "Cross-validation folds per point and repeat, 1 to 100: trial ${trial.fold} of ${trial.folds}. Immutable.")
        @Min(1)
        @Max(100)
        @Default("1")
        Integer folds) {

  /** How this spec's trials lay out over its points. */
  public TrialLayout layout() {
    return TrialLayout.of(repeats, folds);
  }
}
