package dev.gridsearch.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.AnyType;
import java.util.List;

/**
 * One axis of the grid: exactly one of values, range and logRange. The items of values mix types,
 * so the schema leaves them untyped, which hides values from CEL: CEL checks range with logRange;
 * the chart's admission policy and SpecGrid check values against the others. CrdFinisher adds the
 * items' pattern; the operator checks uniqueness.
 */
@ValidationRule(
    value = "!(has(self.range) && has(self.logRange))",
    message = "exactly one of values, range or logRange must be set")
public record Parameter(
    @JsonPropertyDescription(
            "The parameter's name, unique in the search, referenced as ${params.NAME} in the trial template.")
        @Required
        @Pattern(Parameter.NAME_PATTERN)
        @Size(max = 63)
        String name,
    @JsonPropertyDescription(
            "An explicit list of 1 to 1000 unique strings, numbers or booleans matching ^[A-Za-z0-9._+\\-:/=@]{1,128}$. Exactly one of values, range and logRange.")
        @Size(min = 1, max = 1000)
        List<AnyType> values,
    @JsonPropertyDescription(
            "An inclusive arithmetic range. Exactly one of values, range and logRange.")
        Range range,
    @JsonPropertyDescription(
            "A geometric sequence from min to max. Exactly one of values, range and logRange.")
        LogRange logRange) {

  public static final String NAME_PATTERN = "^[A-Za-z][A-Za-z0-9_]{0,62}$";

  /**
   * Values are substituted into Jobs as text: nothing a shell would interpret. Same set as API.md's
   * pattern.
   */
  public static final String VALUE_PATTERN = dev.gridsearch.operator.grid.Grid.VALUE_REGEX;
}
