package dev.gridsearch.operator.api;

import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;

/** Hard caps on a search. */
@ValidationRule(value = "!has(self.maxDuration) || !self.maxDuration.matches('" + Budget.DURATION_PATTERN
    + "') || duration(self.maxDuration) > duration('0s')", message = "budget.maxDuration must be positive")
public record Budget(
    @Min(1) Long maxTrials,
    @Pattern(Budget.DURATION_PATTERN) @Size(max = 64) String maxDuration,
    Map<String, Quantity> resourceHours) {

  /** A Go-style duration such as 90m, 6h or 2h30m. */
  public static final String DURATION_PATTERN = "^([0-9]+([.][0-9]+)?(h|m|s|ms))+$";
}
