package dev.gridsearch.operator.trial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gridsearch.operator.api.LogRange;
import dev.gridsearch.operator.api.Parameter;
import dev.gridsearch.operator.api.Range;
import io.fabric8.kubernetes.api.model.AnyType;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The kind check the CRD cannot make (it cannot see values): refused with the parameter's index and
 * name.
 */
class SpecGridTest {
  private static final List<AnyType> VALUES = List.of(new AnyType(0.1), new AnyType(0.01));

  @Test
  void valuesWithAnotherKindOrNoKindIsRefused() {
    assertThatThrownBy(
            () ->
                SpecGrid.of(
                    List.of(
                        new Parameter("a", List.of(new AnyType(1)), null, null),
                        new Parameter("lr", VALUES, new Range(1.0, 2.0, 1.0), null))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("parameters[1] (lr): exactly one of values, range or logRange must be set");
    assertThatThrownBy(
            () ->
                SpecGrid.of(List.of(new Parameter("lr", VALUES, null, new LogRange(1.0, 2.0, 2)))))
        .hasMessage("parameters[0] (lr): exactly one of values, range or logRange must be set");
    assertThatThrownBy(() -> SpecGrid.of(List.of(new Parameter("lr", null, null, null))))
        .hasMessage("parameters[0] (lr): exactly one of values, range or logRange must be set");
  }

  @Test
  void oneKindEachMakesTheGrid() {
    assertThat(
            SpecGrid.of(
                    List.of(
                        new Parameter("lr", VALUES, null, null),
                        new Parameter("d", null, new Range(1.0, 3.0, 1.0), null)))
                .size())
        .hasValue(6);
  }
}
