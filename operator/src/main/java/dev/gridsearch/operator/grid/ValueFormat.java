package dev.gridsearch.operator.grid;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * Renders parameter values as the text substituted into trial Jobs.
 *
 * <p>Rule for numbers: an integer that is exact (an integer type, or an integral value with |x|
 * &lt;= 2^53) is written with all its digits; every other value is rounded to 12 significant digits
 * (half-even) and laid out like ECMAScript's {@code Number.prototype.toString}: plain notation for
 * 1e-6 &lt;= |x| &lt; 1e21, otherwise {@code d.ddde±n}. {@code -0} renders as {@code 0}.
 */
public final class ValueFormat {

  private static final MathContext TWELVE_DIGITS = new MathContext(12, RoundingMode.HALF_EVEN);
  // Beyond 2^53 a double no longer holds every integer, so its "exact" digits would be noise.
  private static final BigDecimal SAFE_INTEGER = BigDecimal.valueOf(1L << 53);

  private ValueFormat() {}

  /** Renders a finite double; NaN and infinities are refused because no Job can use them. */
  public static String render(double x) {
    if (!Double.isFinite(x)) {
      throw new IllegalArgumentException("not a finite number: " + x);
    }
    return renderDecimal(new BigDecimal(x));
  }

  /** Renders an exact integer with all its digits. */
  public static String render(long x) {
    return Long.toString(x);
  }

  /**
   * Renders a number as it arrives from JSON: integer types exactly, {@link BigDecimal} by its
   * exact value, {@link Float} by its shortest decimal, anything else via {@code doubleValue()}.
   */
  public static String render(Number n) {
    Objects.requireNonNull(n, "number");
    if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte) {
      return render(n.longValue());
    }
    if (n instanceof BigInteger big) {
      return big.toString();
    }
    if (n instanceof BigDecimal decimal) {
      return renderDecimal(decimal);
    }
    if (n instanceof Float f) {
      // Float.toString gives the float's shortest decimal, not its widened double's noise.
      if (!Float.isFinite(f)) {
        throw new IllegalArgumentException("not a finite number: " + f);
      }
      return renderDecimal(new BigDecimal(Float.toString(f)));
    }
    return render(n.doubleValue());
  }

  /** Renders an exact decimal value: whole numbers up to 2^53 exactly, the rest rounded. */
  static String renderDecimal(BigDecimal value) {
    if (value.signum() == 0) {
      return "0";
    }
    if (isIntegral(value) && value.abs().compareTo(SAFE_INTEGER) <= 0) {
      return value.toBigIntegerExact().toString();
    }
    BigDecimal rounded = value.round(TWELVE_DIGITS).stripTrailingZeros();
    String digits = rounded.unscaledValue().abs().toString();
    int k = digits.length();
    // ECMAScript's n: the value is 0.digits * 10^n.
    int n = k - rounded.scale();
    String magnitude = layout(digits, k, n);
    return rounded.signum() < 0 ? "-" + magnitude : magnitude;
  }

  static boolean isIntegral(BigDecimal value) {
    return value.signum() == 0 || value.stripTrailingZeros().scale() <= 0;
  }

  // Steps 6-10 of ECMAScript's Number::toString, for digits s (k of them) and exponent n.
  private static String layout(String s, int k, int n) {
    if (k <= n && n <= 21) {
      return s + "0".repeat(n - k);
    }
    if (0 < n && n <= 21) {
      return s.substring(0, n) + "." + s.substring(n);
    }
    if (-6 < n && n <= 0) {
      return "0." + "0".repeat(-n) + s;
    }
    int e = n - 1;
    String exponent = (e < 0 ? "e-" : "e+") + Math.abs(e);
    if (k == 1) {
      return s + exponent;
    }
    return s.charAt(0) + "." + s.substring(1) + exponent;
  }
}
