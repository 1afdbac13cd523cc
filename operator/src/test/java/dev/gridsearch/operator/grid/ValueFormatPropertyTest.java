package dev.gridsearch.operator.grid;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class ValueFormatPropertyTest {

  @Provide
  Arbitrary<Double> finiteDoubles() {
    // Raw bits cover every exponent; scaled integers cover the decimals users write.
    Arbitrary<Double> anyBits =
        Arbitraries.longs().map(Double::longBitsToDouble).filter(Double::isFinite);
    Arbitrary<Double> decimals =
        Arbitraries.longs()
            .between(-10_000_000_000_000L, 10_000_000_000_000L)
            .flatMap(m -> Arbitraries.integers().between(-30, 30).map(e -> m * Math.pow(10, e)));
    return Arbitraries.oneOf(anyBits, decimals, Arbitraries.doubles());
  }

  @Property(tries = 2000)
  void renderingIsCanonical(@ForAll("finiteDoubles") double x) {
    String rendered = ValueFormat.render(x);
    assertThat(ValueFormat.render(Double.parseDouble(rendered))).isEqualTo(rendered);
  }

  @Property(tries = 2000)
  void renderingHasNoJavaArtefacts(@ForAll("finiteDoubles") double x) {
    String rendered = ValueFormat.render(x);
    assertThat(rendered).doesNotContain("E").doesNotEndWith(".0").isNotEqualTo("-0");
    assertThat(rendered).matches("-?[0-9]+(\\.[0-9]*[1-9])?(e[+-][1-9][0-9]*)?");
  }

  @Property(tries = 2000)
  void renderingKeepsTwelveSignificantDigits(@ForAll("finiteDoubles") double x) {
    double back = Double.parseDouble(ValueFormat.render(x));
    // Rounding to 12 digits moves a value by at most 5e-12 of itself, reading back at most as much.
    assertThat(Math.abs(back - x)).isLessThanOrEqualTo(1e-11 * Math.abs(x));
  }
}
