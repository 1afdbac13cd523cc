package dev.gridsearch.operator.plan;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Go-style durations as the CRD accepts them ({@code 90m}, {@code 6h}, {@code 2h30m}, {@code
 * 1.5h}).
 */
public final class GoDuration {
  private static final Pattern PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ms|h|m|s)");

  private GoDuration() {}

  /**
   * @throws IllegalArgumentException when the text is not such a duration
   */
  public static Duration parse(String text) {
    Matcher m = PART.matcher(text);
    long nanos = 0;
    int end = 0;
    while (m.find()) {
      if (m.start() != end) {
        break;
      }
      BigDecimal amount = new BigDecimal(m.group(1));
      long unit =
          switch (m.group(2)) {
            case "h" -> 3_600_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "s" -> 1_000_000_000L;
            default -> 1_000_000L;
          };
      nanos += amount.multiply(BigDecimal.valueOf(unit)).longValue();
      end = m.end();
    }
    if (end == 0 || end != text.length()) {
      throw new IllegalArgumentException(
          "not a duration: \"" + text + "\" (use e.g. 90m, 6h, 2h30m)");
    }
    return Duration.ofNanos(nanos);
  }

  /** Whole seconds, Go style: {@code 2h10m5s}, {@code 45s}, {@code 0s}. */
  public static String format(Duration d) {
    long s = Math.max(0, d.getSeconds());
    StringBuilder out = new StringBuilder();
    if (s >= 3600) {
      out.append(s / 3600).append('h');
    }
    if (s >= 60) {
      out.append(s % 3600 / 60).append('m');
    }
    return out.append(s % 60).append('s').toString();
  }
}
