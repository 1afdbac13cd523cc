package dev.gridsearch.operator.points;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridsearch.operator.api.Objective;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Constraints: the admission pattern and the parser accept exactly the same texts. */
class ConstraintTest {
  private static final Pattern ADMISSION = Pattern.compile(Objective.CONSTRAINT_PATTERN);

  @ParameterizedTest
  @ValueSource(
      strings = {
        "latency_ms < 50",
        "latency_ms<50",
        " val/loss <= 0.25 ",
        "f1 >= .5",
        "mem:peak == 1e3",
        "x != -2.5E-3",
        "a.b-c > +7"
      })
  void validConstraintsParse(String text) {
    assertThat(ADMISSION.matcher(text).matches()).isTrue();
    assertThat(Constraint.parse(text)).isPresent();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "latency_ms",
        "< 50",
        "latency_ms < fifty",
        "latency_ms <> 5",
        "1x < 2",
        "a < 5; b < 2",
        ""
      })
  void invalidConstraintsAreRefusedByBoth(String text) {
    assertThat(ADMISSION.matcher(text).matches()).isFalse();
    assertThat(Constraint.parse(text)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "x < 2:true",
        "x <= 1:true",
        "x > 1:false",
        "x >= 1:true",
        "x == 1:true",
        "x != 1:false"
      })
  void operatorsCompareAsWritten(String c) {
    String[] parts = c.split(":");
    assertThat(Constraint.parse(parts[0]).orElseThrow().holds(1.0))
        .isEqualTo(Boolean.parseBoolean(parts[1]));
  }
}
