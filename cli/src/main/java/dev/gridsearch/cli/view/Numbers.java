package dev.gridsearch.cli.view;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;

/** How numbers and durations read: short for people, exact for machines. */
public final class Numbers {
  private Numbers() {}

  /** Up to 4 significant digits, no exponent for everyday magnitudes: 0.7812, 12.5, 1.2e-05. */
  public static String shortly(Double v) {
    if (v == null) {
      return "";
    }
    if (v.isNaN() || v.isInfinite()) {
      return v.toString();
    }
    if (v == 0) {
      return "0";
    }
    double a = Math.abs(v);
    if (a >= 1e-4 && a < 1e7) {
      return new BigDecimal(v)
          .round(new MathContext(a >= 1e4 ? 7 : 4))
          .stripTrailingZeros()
          .toPlainString();
    }
    return String.format(java.util.Locale.ROOT, "%.3g", v).replace("e+", "e");
  }

  /** The shortest text that reads back as the same double (CSV and JSON). */
  public static String exactly(Double v) {
    if (v == null) {
      return "";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString(v.longValue());
    }
    return Double.toString(v);
  }

  /** 7s, 1m05s, 2h03m, 3d4h: like kubectl's ages. */
  public static String duration(Duration d) {
    long s = Math.max(0, d.toSeconds());
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return (s / 60) + "m" + String.format("%02d", s % 60) + "s";
    }
    if (s < 86400) {
      return (s / 3600) + "h" + String.format("%02d", (s % 3600) / 60) + "m";
    }
    return (s / 86400) + "d" + ((s % 86400) / 3600) + "h";
  }

  public static String seconds(double seconds) {
    return duration(Duration.ofMillis(Math.round(seconds * 1000)));
  }
}
