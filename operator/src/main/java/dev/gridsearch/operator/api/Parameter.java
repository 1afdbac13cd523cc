package dev.gridsearch.operator.api;

import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.AnyType;
import java.util.List;

/** One axis of the grid: exactly one of values, range and logRange. */
@ValidationRule(value = "[has(self.values), has(self.range), has(self.logRange)].filter(x, x).size() == 1",
    message = "exactly one of values, range or logRange must be set")
@ValidationRule(value = "!has(self.values) || self.values.all(v, " + Parameter.VALID_VALUE + ")",
    messageExpression = "'" + Parameter.VALUE_RULE + "; offending: ' + self.values.filter(v, !("
        + Parameter.VALID_VALUE + ")).map(v, type(v) == string ? '\"' + v + '\"' : string(type(v))).join(', ')",
    message = Parameter.VALUE_RULE, fieldPath = ".values")
@ValidationRule(value = "!has(self.values) || self.values.all(v, self.values.exists_one(w, w == v))",
    message = "values must be unique", fieldPath = ".values")
public record Parameter(
    @Required @Pattern(Parameter.NAME_PATTERN) String name,
    @Size(min = 1, max = 1000) List<AnyType> values,
    Range range,
    LogRange logRange) {

  public static final String NAME_PATTERN = "^[A-Za-z][A-Za-z0-9_]{0,62}$";
  /** Values are substituted into Jobs as text: nothing a shell would interpret. Same set as API.md's pattern. */
  public static final String VALUE_PATTERN = dev.gridsearch.operator.grid.Grid.VALUE_REGEX;
  static final String VALID_VALUE = "type(v) == string ? v.matches('" + VALUE_PATTERN
      + "') : (type(v) == int || type(v) == uint || type(v) == double || type(v) == bool)";
  static final String VALUE_RULE = "values must be numbers, booleans or strings of 1 to 128 letters, digits"
      + " and . _ + - : / = @ (nothing a shell would interpret)";
}
