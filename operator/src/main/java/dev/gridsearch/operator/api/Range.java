package dev.gridsearch.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** An inclusive arithmetic range; integers when min, max and step are all integers. */
@ValidationRule(value = "self.step > 0.0", message = "range.step must be greater than 0")
@ValidationRule(
    value = "self.min <= self.max",
    message = "range.min must not be greater than range.max")
@ValidationRule(
    value = "self.step <= 0.0 || (self.max - self.min) / self.step < 100000.0",
    message = "range must yield at most 100,000 values")
public record Range(
    @JsonPropertyDescription("The first value.") @Required Double min,
    @JsonPropertyDescription("The last value, included when max - min is a whole multiple of step.")
        @Required
        Double max,
    @JsonPropertyDescription("The distance between values, greater than 0; at most 100000 values.")
        @Required
        Double step) {}
