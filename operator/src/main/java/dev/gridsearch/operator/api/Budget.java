package dev.gridsearch.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;

/** Hard caps on a search. */
@ValidationRule(
    value =
        "!has(self.maxDuration) || !self.maxDuration.matches('"
            + Budget.DURATION_PATTERN
            + "') || duration(self.maxDuration) > duration('0s')",
    message = "budget.maxDuration must be positive")
public record Budget(
    @JsonPropertyDescription("Launch at most this many trials.") @Min(1) Long maxTrials,
    @JsonPropertyDescription(
            "Wall-clock limit from the start, a Go-style duration such as 90m, 6h or 2h30m.")
        @Pattern(Budget.DURATION_PATTERN)
        @Size(max = 64)
        String maxDuration,
    @JsonPropertyDescription(
            "Per resource (cpu, memory, nvidia.com/gpu...), the limit on requests times wall time summed over trials, in resource-hours.")
        Map<String, Quantity> resourceHours) {

  /** A Go-style duration such as 90m, 6h or 2h30m. */
  public static final String DURATION_PATTERN = "^([0-9]+([.][0-9]+)?(h|m|s|ms))+$";
}
