package dev.gridsearch.operator.grid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ValueFormatTest {

  static Stream<Arguments> doubles() {
    return Stream.of(
        Arguments.of(0.3, "0.3"),
        Arguments.of(0.1 + 0.2, "0.3"),
        Arguments.of(0.001, "0.001"),
        Arguments.of(1e-5, "0.00001"),
        Arguments.of(1e-6, "0.000001"),
        Arguments.of(1e-7, "1e-7"),
        Arguments.of(1.5e-7, "1.5e-7"),
        Arguments.of(-1e-7, "-1e-7"),
        Arguments.of(123.456, "123.456"),
        Arguments.of(100000.0, "100000"),
        Arguments.of(123456789012345.0, "123456789012345"),
        // Whole doubles up to 2^53 are exact integers and keep all their digits.
        Arguments.of(9007199254740992.0, "9007199254740992"),
        // Beyond 2^53 the 12-digit rounding applies, laid out plainly below 1e21.
        Arguments.of(1234567890123456789.0, "1234567890120000000"),
        Arguments.of(1e20, "100000000000000000000"),
        Arguments.of(1e21, "1e+21"),
        Arguments.of(1.5e21, "1.5e+21"),
        Arguments.of(1e300, "1e+300"),
        Arguments.of(-2.5, "-2.5"),
        Arguments.of(0.0, "0"),
        Arguments.of(-0.0, "0"),
        Arguments.of(32.0, "32"),
        Arguments.of(2.0 / 3, "0.666666666667"),
        Arguments.of(1.0 / 3e10, "3.33333333333e-11"),
        Arguments.of(123456.7890123456, "123456.789012"),
        Arguments.of(0.9999999999999, "1"),
        Arguments.of(Double.MIN_VALUE, "4.94065645841e-324"),
        Arguments.of(Double.MAX_VALUE, "1.79769313486e+308"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("doubles")
  void rendersDoubles(double x, String expected) {
    assertThat(ValueFormat.render(x)).isEqualTo(expected);
    assertThat(ValueFormat.render(Double.valueOf(x))).isEqualTo(expected);
  }

  @Test
  void rendersIntegerTypesExactly() {
    assertThat(ValueFormat.render(32)).isEqualTo("32");
    assertThat(ValueFormat.render(Integer.valueOf(-7))).isEqualTo("-7");
    assertThat(ValueFormat.render(Long.valueOf(1234567890123456789L)))
        .isEqualTo("1234567890123456789");
    assertThat(ValueFormat.render(new BigInteger("123456789012345678901234567890")))
        .isEqualTo("123456789012345678901234567890");
  }

  @Test
  void rendersDecimalsAndFloatsByTheirDecimalValue() {
    assertThat(ValueFormat.render(new BigDecimal("0.001"))).isEqualTo("0.001");
    assertThat(ValueFormat.render(new BigDecimal("32.0"))).isEqualTo("32");
    assertThat(ValueFormat.render(new BigDecimal("1E-7"))).isEqualTo("1e-7");
    assertThat(ValueFormat.render(new BigDecimal("1E+21"))).isEqualTo("1e+21");
    assertThat(ValueFormat.render(new BigDecimal("0.1234567890125"))).isEqualTo("0.123456789012");
    assertThat(ValueFormat.render(Float.valueOf(0.1f))).isEqualTo("0.1");
  }

  @Test
  void refusesNonFiniteNumbers() {
    assertThatThrownBy(() -> ValueFormat.render(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ValueFormat.render(Double.POSITIVE_INFINITY))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ValueFormat.render(Float.valueOf(Float.NEGATIVE_INFINITY)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
