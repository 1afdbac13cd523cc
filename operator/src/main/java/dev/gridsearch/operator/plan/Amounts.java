package dev.gridsearch.operator.plan;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Map;

/** Resource amounts as people read them: cores as decimals, bytes in Gi. */
final class Amounts {
  private static final BigDecimal GI = BigDecimal.valueOf(1L << 30);

  private Amounts() {}

  static boolean isBytes(String resource) {
    return resource.equals("memory")
        || resource.equals("ephemeral-storage")
        || resource.startsWith("hugepages-");
  }

  static String format(String resource, BigDecimal amount) {
    if (isBytes(resource)) {
      return plain(amount.divide(GI, 2, RoundingMode.HALF_UP)) + "Gi";
    }
    return plain(amount.setScale(3, RoundingMode.HALF_UP));
  }

  static Map<String, String> format(Map<String, BigDecimal> amounts, BigDecimal times) {
    Map<String, String> out = new LinkedHashMap<>();
    amounts.forEach((k, v) -> out.put(k, format(k, v.multiply(times))));
    return out;
  }

  /** "used/limit" in resource-hours, one decimal: {@code 212.5/400}. */
  static String hours(String resource, BigDecimal used, BigDecimal limit) {
    if (isBytes(resource)) {
      return format(resource, used) + "/" + format(resource, limit);
    }
    return used.setScale(1, RoundingMode.HALF_UP).toPlainString() + "/" + plain(limit);
  }

  private static String plain(BigDecimal v) {
    return v.stripTrailingZeros().toPlainString();
  }
}
