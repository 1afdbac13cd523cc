package dev.gridsearch.operator.api;

import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** The metric a trial reports and which direction is better. */
public record Objective(
    @Required @Pattern(Objective.METRIC_PATTERN) String metric,
    @Required Goal goal,
    Double target) {

  public static final String METRIC_PATTERN = "^[A-Za-z_][A-Za-z0-9_.:/-]{0,127}$";

  public enum Goal { Maximize, Minimize }
}
