package dev.gridsearch.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** A geometric sequence of count values from min to max, endpoints exact. */
@ValidationRule(value = "self.min > 0.0", message = "logRange.min must be greater than 0")
@ValidationRule(
    value = "self.min <= self.max",
    message = "logRange.min must not be greater than logRange.max")
@ValidationRule(
    value = "self.count != 1 || self.min == self.max",
    message = "logRange.count 1 requires min == max")
public record LogRange(
    @JsonPropertyDescription("The first value, greater than 0, exact.") @Required Double min,
    @JsonPropertyDescription("The last value, exact.") @Required Double max,
    @JsonPropertyDescription("How many values, 1 to 1000 (1 requires min == max).")
        @Required
        @Min(1)
        @Max(1000)
        Integer count) {}
