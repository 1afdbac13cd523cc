package dev.gridsearch.operator.grid;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * An arithmetic axis: values {@code min + k*step} for k = 0, 1, ... up to {@code max}, inclusive of
 * {@code max} when {@code max - min} is a whole multiple of {@code step} within 1e-9 of a step.
 * Bounds are exact decimals, so {@code 0.1} steps do not drift; when min, max and step are all
 * integers the values are exact integers.
 */
public record RangeAxis(String name, BigDecimal min, BigDecimal max, BigDecimal step)
    implements Axis {

  // Added to (max-min)/step before flooring, so 0.1-step ranges built from doubles still reach max.
  private static final BigDecimal TOLERANCE = new BigDecimal("1e-9");
  private static final BigDecimal MINUS_HALF = new BigDecimal("-0.5");
  private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

  public RangeAxis {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(min, "min");
    Objects.requireNonNull(max, "max");
    Objects.requireNonNull(step, "step");
    if (step.signum() <= 0) {
      throw new IllegalArgumentException(
          "parameter \"" + name + "\": range step must be positive, got " + step.toPlainString());
    }
    if (max.compareTo(min) < 0) {
      throw new IllegalArgumentException(
          "parameter \""
              + name
              + "\": range max "
              + max.toPlainString()
              + " is below min "
              + min.toPlainString());
    }
    if (count(min, max, step).compareTo(LONG_MAX) > 0) {
      throw new IllegalArgumentException(
          "parameter \"" + name + "\": range has more than " + Long.MAX_VALUE + " values");
    }
  }

  /** Builds a range from JSON numbers; doubles are taken by their shortest decimal (0.1 is 0.1). */
  public static RangeAxis of(String name, Number min, Number max, Number step) {
    return new RangeAxis(name, decimal(name, min), decimal(name, max), decimal(name, step));
  }

  /** True when min, max and step are all integers, so every value is an exact integer. */
  public boolean integral() {
    return ValueFormat.isIntegral(min)
        && ValueFormat.isIntegral(max)
        && ValueFormat.isIntegral(step);
  }

  @Override
  public long size() {
    return count(min, max, step).longValueExact();
  }

  @Override
  public String valueAt(long k) {
    Objects.checkIndex(k, size());
    BigDecimal value = min.add(step.multiply(BigDecimal.valueOf(k)));
    return integral() ? value.toBigIntegerExact().toString() : ValueFormat.renderDecimal(value);
  }

  @Override
  public long indexOf(String value) {
    BigDecimal v;
    try {
      v = new BigDecimal(value);
    } catch (NumberFormatException e) {
      return -1;
    }
    // Rounded arithmetic, so text like "1e-999999999" cannot force a billion-digit alignment.
    BigDecimal steps = v.subtract(min, MathContext.DECIMAL128).divide(step, MathContext.DECIMAL128);
    if (steps.compareTo(MINUS_HALF) <= 0 || steps.compareTo(BigDecimal.valueOf(size())) >= 0) {
      return -1;
    }
    long k = steps.setScale(0, RoundingMode.HALF_UP).longValueExact();
    return k < size() && valueAt(k).equals(value) ? k : -1;
  }

  private static BigInteger count(BigDecimal min, BigDecimal max, BigDecimal step) {
    // 34 digits resolve any count that fits a long far below the 1e-9 tolerance.
    BigDecimal steps =
        max.subtract(min, MathContext.DECIMAL128).divide(step, MathContext.DECIMAL128);
    if (steps.compareTo(new BigDecimal(LONG_MAX)) >= 0) {
      return LONG_MAX.add(BigInteger.ONE);
    }
    return steps.add(TOLERANCE).setScale(0, RoundingMode.FLOOR).toBigInteger().add(BigInteger.ONE);
  }

  private static BigDecimal decimal(String name, Number n) {
    Objects.requireNonNull(n, "range bound");
    if (n instanceof BigDecimal d) {
      return d;
    }
    if (n instanceof BigInteger i) {
      return new BigDecimal(i);
    }
    if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte) {
      return BigDecimal.valueOf(n.longValue());
    }
    if (n instanceof Float f && Float.isFinite(f)) {
      return new BigDecimal(Float.toString(f));
    }
    double d = n.doubleValue();
    if (!Double.isFinite(d)) {
      throw new IllegalArgumentException(
          "parameter \"" + name + "\": range bound " + n + " is not a finite number");
    }
    return BigDecimal.valueOf(d);
  }
}
