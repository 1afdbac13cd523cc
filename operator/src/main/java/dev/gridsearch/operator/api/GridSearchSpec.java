package dev.gridsearch.operator.api;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * What the user asks for; see API.md. Defaults live in the schema, not in the reconciler. Rules sit on the class
 * (with fieldPath) because annotations on record components would be emitted twice.
 */
@ValidationRule(value = "self.parameters.all(p, self.parameters.exists_one(q, q.name == p.name))",
    message = "parameter names must be unique", fieldPath = ".parameters")
@ValidationRule(value = "self.parameters == oldSelf.parameters", message = "spec.parameters is immutable",
    fieldPath = ".parameters")
@ValidationRule(value = "self.objective == oldSelf.objective", message = "spec.objective is immutable",
    fieldPath = ".objective")
@ValidationRule(value = "self.trialTemplate == oldSelf.trialTemplate", message = "spec.trialTemplate is immutable",
    fieldPath = ".trialTemplate")
@ValidationRule(value = "has(self.queueName) == has(oldSelf.queueName) && (!has(self.queueName) || self.queueName == oldSelf.queueName)",
    message = "spec.queueName is immutable", fieldPath = ".queueName")
public record GridSearchSpec(
    @Required @Size(min = 1, max = 32) List<Parameter> parameters,
    @Required Objective objective,
    @Min(1) @Max(10000) @Default("1") Integer parallelism,
    @Min(0) Integer maxFailedTrials,
    @Min(0) @Max(10) @Default("0") Integer trialRetries,
    @Default("false") Boolean suspend,
    Budget budget,
    @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$") @Size(max = 63) String queueName,
    Cleanup cleanup,
    @Min(1) @Max(50) @Default("5") Integer leaderboardSize,
    @Required TrialTemplate trialTemplate) {}
