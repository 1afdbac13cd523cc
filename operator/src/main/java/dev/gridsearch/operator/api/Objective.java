package dev.gridsearch.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** The metric a trial reports and which direction is better. */
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
            "Optional: once a trial reaches this value, running trials stop and the search succeeds (GoalReached).")
        Double target) {

  public static final String METRIC_PATTERN = "^[A-Za-z_][A-Za-z0-9_.:/-]{0,127}$";

  public enum Goal {
    Maximize,
    Minimize
  }
}
