package dev.gridsearch.operator.grid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class AxisTest {

  private static List<String> all(Axis axis) {
    List<String> values = new ArrayList<>();
    for (long k = 0; k < axis.size(); k++) {
      values.add(axis.valueAt(k));
    }
    return values;
  }

  @Test
  void valuesThatRenderAlikeAreDuplicates() {
    assertThatThrownBy(() -> ValuesAxis.of("lr", List.of(0.1, 0.2, "0.1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "parameter \"lr\": values must be unique, but values[2] (0.1) repeats values[0]");
    assertThat(ValuesAxis.of("lr", List.of(0.1, "0.10")).size()).isEqualTo(2);
  }

  @Test
  void integerRange() {
    RangeAxis axis = RangeAxis.of("batch", 32, 128, 32);
    assertThat(axis.integral()).isTrue();
    assertThat(all(axis)).containsExactly("32", "64", "96", "128");
  }

  @Test
  void rangeOfWholeDoublesYieldsIntegers() {
    RangeAxis axis = RangeAxis.of("batch", 32.0, 128.0, 32.0);
    assertThat(axis.integral()).isTrue();
    assertThat(all(axis)).containsExactly("32", "64", "96", "128");
  }

  @Test
  void decimalRangeDoesNotDrift() {
    assertThat(all(RangeAxis.of("lr", 0.1, 0.3, 0.1))).containsExactly("0.1", "0.2", "0.3");
  }

  @Test
  void rangeStopsBeforeMaxWhenNotAWholeMultiple() {
    assertThat(all(RangeAxis.of("p", 0, 1, 0.3))).containsExactly("0", "0.3", "0.6", "0.9");
  }

  @Test
  void rangeIncludesMaxWhenAWholeMultiple() {
    RangeAxis axis = RangeAxis.of("p", 0, 1, 0.1);
    assertThat(axis.size()).isEqualTo(11);
    assertThat(axis.valueAt(10)).isEqualTo("1");
  }

  @Test
  void rangeToleratesFloatNoiseOfUnder1e9Step() {
    // (max - min) / step = 9.9999999999: within 1e-9 of 10, so 1 (min + 10 * step) is included.
    RangeAxis near = RangeAxis.of("p", 0.0, 0.99999999999, 0.1);
    assertThat(near.size()).isEqualTo(11);
    assertThat(near.valueAt(10)).isEqualTo("1");
    // 9.99999999 is 1e-8 short of 10: a real gap, not noise.
    assertThat(RangeAxis.of("p", 0.0, 0.999999999, 0.1).size()).isEqualTo(10);
  }

  @Test
  void negativeRange() {
    assertThat(all(RangeAxis.of("p", -1, 1, 0.5))).containsExactly("-1", "-0.5", "0", "0.5", "1");
  }

  @Test
  void integerRangeIsExactBeyondDoublePrecision() {
    RangeAxis axis = RangeAxis.of("seed", 9007199254740993L, 9007199254740995L, 1);
    assertThat(all(axis))
        .containsExactly("9007199254740993", "9007199254740994", "9007199254740995");
  }

  @Test
  void rangeSizeIsExact() {
    RangeAxis axis = RangeAxis.of("p", 0, 1_000_000_000_000L, new BigDecimal("1e-6"));
    assertThat(axis.size()).isEqualTo(1_000_000_000_000_000_001L);
    assertThat(axis.valueAt(1_000_000_000_000_000_000L)).isEqualTo("1000000000000");
    assertThat(axis.valueAt(1)).isEqualTo("0.000001");
  }

  @Test
  void singlePointRange() {
    assertThat(all(RangeAxis.of("p", 5, 5, 1))).containsExactly("5");
  }

  @Test
  void refusesBadRanges() {
    assertThatThrownBy(() -> RangeAxis.of("p", 0, 1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("step");
    assertThatThrownBy(() -> RangeAxis.of("p", 0, 1, -0.1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("step");
    assertThatThrownBy(() -> RangeAxis.of("p", 2, 1, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("below min");
    assertThatThrownBy(() -> RangeAxis.of("p", 0, 1e30, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("more than");
    assertThatThrownBy(() -> RangeAxis.of("p", 0, Double.NaN, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("finite");
  }

  @Test
  void logRange() {
    assertThat(all(new LogRangeAxis("lr", 1e-5, 1e-3, 3)))
        .containsExactly("0.00001", "0.0001", "0.001");
    assertThat(all(new LogRangeAxis("lr", 1e-4, 1, 5)))
        .containsExactly("0.0001", "0.001", "0.01", "0.1", "1");
  }

  @Test
  void logRangeEndpointsAreExact() {
    LogRangeAxis axis = new LogRangeAxis("lr", 3e-7, 0.7, 7);
    assertThat(axis.valueAt(0)).isEqualTo("3e-7");
    assertThat(axis.valueAt(6)).isEqualTo("0.7");
  }

  @Test
  void logRangeOfOne() {
    assertThat(all(new LogRangeAxis("lr", 0.01, 0.01, 1))).containsExactly("0.01");
  }

  @Test
  void refusesBadLogRanges() {
    assertThatThrownBy(() -> new LogRangeAxis("lr", 0, 1, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("positive");
    assertThatThrownBy(() -> new LogRangeAxis("lr", 1e-3, 1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 1");
    assertThatThrownBy(() -> new LogRangeAxis("lr", 1e-3, 1, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("min == max");
    assertThatThrownBy(() -> new LogRangeAxis("lr", 1, 1e-3, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("below max");
  }

  @Test
  void valuesRenderEachKindOfItem() {
    ValuesAxis axis =
        ValuesAxis.of("mixed", List.of("adam", 0.001, 32, 1e-7, true, 2.0, new BigDecimal("0.10")));
    assertThat(axis.values()).containsExactly("adam", "0.001", "32", "1e-7", "true", "2", "0.1");
  }

  @Test
  void refusesBadValues() {
    assertThatThrownBy(() -> ValuesAxis.of("v", List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty");
    assertThatThrownBy(() -> ValuesAxis.of("v", List.of("a", List.of("b"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("values[1]");
    assertThatThrownBy(() -> ValuesAxis.of("v", Arrays.asList("a", null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("null");
  }

  @Test
  void indexOutsideAnAxisIsRefused() {
    for (Axis axis :
        List.<Axis>of(
            new ValuesAxis("v", List.of("a", "b")),
            RangeAxis.of("r", 0, 1, 1),
            new LogRangeAxis("l", 1, 10, 2))) {
      assertThatThrownBy(() -> axis.valueAt(2)).isInstanceOf(IndexOutOfBoundsException.class);
      assertThatThrownBy(() -> axis.valueAt(-1)).isInstanceOf(IndexOutOfBoundsException.class);
    }
  }

  @Test
  void indexOfInvertsValueAt() {
    for (Axis axis :
        List.<Axis>of(
            new ValuesAxis("v", List.of("a", "b", "c")),
            RangeAxis.of("r", 0.1, 2.5, 0.1),
            RangeAxis.of("i", -64, 64, 16),
            new LogRangeAxis("l", 1e-6, 1, 13))) {
      for (long k = 0; k < axis.size(); k++) {
        assertThat(axis.indexOf(axis.valueAt(k))).as("%s[%d]", axis.name(), k).isEqualTo(k);
      }
      assertThat(axis.indexOf("nope")).isEqualTo(-1);
      assertThat(axis.indexOf("1000")).isEqualTo(-1);
    }
    assertThat(RangeAxis.of("r", 0, 1, 0.25).indexOf("0.3")).isEqualTo(-1);
    assertThat(RangeAxis.of("r", 0, 1, 0.25).indexOf("0.50")).isEqualTo(-1);
    assertThat(RangeAxis.of("r", 0.5, 1, 0.25).indexOf("1e-999999999")).isEqualTo(-1);
    assertThat(RangeAxis.of("r", 0.5, 1, 0.25).indexOf("1e+999999999")).isEqualTo(-1);
  }
}
