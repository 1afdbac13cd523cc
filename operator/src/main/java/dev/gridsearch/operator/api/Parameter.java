package dev.gridsearch.operator.api;

import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.AnyType;
import java.util.List;

/**
 * One axis of the grid: exactly one of values, range and logRange. The items of values mix types, so the schema
 * leaves them untyped (invisible to CEL); CrdFinisher adds their pattern and the oneOf, and the operator checks
 * that they are unique.
 */
@ValidationRule(value = "!(has(self.range) && has(self.logRange))",
    message = "exactly one of values, range or logRange must be set")
public record Parameter(
    @Required @Pattern(Parameter.NAME_PATTERN) @Size(max = 63) String name,
    @Size(min = 1, max = 1000) List<AnyType> values,
    Range range,
    LogRange logRange) {

  public static final String NAME_PATTERN = "^[A-Za-z][A-Za-z0-9_]{0,62}$";
  /** Values are substituted into Jobs as text: nothing a shell would interpret. Same set as API.md's pattern. */
  public static final String VALUE_PATTERN = dev.gridsearch.operator.grid.Grid.VALUE_REGEX;
}
