package dev.gridsearch.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** The metric a trial reports, which direction is better, and how a point's trials add up. */
public record Objective(
    @JsonPropertyDescription(
            "The name of the metric the trial writes to its termination message (JSON object or name=value lines).")
        @Required
        @Pattern(Objective.METRIC_PATTERN)
        String metric,
    @JsonPropertyDescription("Maximize or Minimize: which direction of the metric is better.")
        @Required
        Goal goal,
    @JsonPropertyDescription(
            "Optional: once a point's aggregate reaches this value, running trials stop and the search succeeds (GoalReached).")
        Double target,
    @JsonPropertyDescription(
            "How a point's trials (repeats x folds) rank it: mean (default), median, min or max of the metric over its succeeded trials.")
        @Default("mean")
        Aggregate aggregate,
    @JsonPropertyDescription(
            "A point with a failed trial: Disqualify (default: not ranked, like scikit-learn's error_score=nan) or Skip (aggregate the trials that succeeded).")
        @Default("Disqualify")
        FailedTrials failedTrials,
    @JsonPropertyDescription(
            "Optional conditions on any reported metric's aggregate, \"<metric> <op> <number>\" (op: < <= > >= == !=); a point that violates one is Infeasible and not ranked.")
        @Size(max = 16)
        List<@Pattern(Objective.CONSTRAINT_PATTERN) String> constraints) {

  public static final String METRIC_PATTERN = "^[A-Za-z_][A-Za-z0-9_.:/-]{0,127}$";

  /**
   * {@code <metric> <op> <number>}: checked at admission (a schema pattern, so it costs no CEL
   * budget).
   */
  public static final String CONSTRAINT_PATTERN =
      "^ *[A-Za-z_][A-Za-z0-9_.:/-]{0,127} *(<=|>=|==|!=|<|>) *[-+]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][-+]?[0-9]+)? *$";

  public Objective(String metric, Goal goal, Double target) {
    this(metric, goal, target, null, null, null);
  }

  public Aggregate aggregateOrDefault() {
    return aggregate == null ? Aggregate.mean : aggregate;
  }

  public boolean skipsFailedTrials() {
    return failedTrials == FailedTrials.Skip;
  }

  public enum Goal {
    Maximize,
    Minimize
  }

  /** Lower-case, as users write it (and as numpy names them). */
  public enum Aggregate {
    mean,
    median,
    min,
    max
  }

  public enum FailedTrials {
    Disqualify,
    Skip
  }
}
