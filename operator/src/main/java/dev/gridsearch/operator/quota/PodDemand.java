package dev.gridsearch.operator.quota;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.LimitRangeItem;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one trial's pod asks of a ResourceQuota: effective requests and limits after the namespace's
 * LimitRange defaults, by the init-container rule (the larger of the biggest init container and the
 * sum of the containers), plus pod overhead.
 *
 * @param requests effective requests by resource name (cpu in cores, memory in bytes, extended
 *     resources as counts)
 * @param limits effective limits by resource name
 * @param terminating whether the pod has activeDeadlineSeconds (the Terminating quota scope)
 * @param priorityClass the pod's priorityClassName, or null
 */
public record PodDemand(
    Map<String, BigDecimal> requests,
    Map<String, BigDecimal> limits,
    boolean terminating,
    String priorityClass) {

  /** The BestEffort quota scope: no cpu or memory request or limit anywhere. */
  public boolean bestEffort() {
    return !requests.containsKey("cpu")
        && !requests.containsKey("memory")
        && !limits.containsKey("cpu")
        && !limits.containsKey("memory");
  }

  public static PodDemand of(PodSpec pod, List<LimitRange> limitRanges) {
    Defaults defaults = Defaults.of(limitRanges);
    Map<String, BigDecimal> requests = new TreeMap<>();
    Map<String, BigDecimal> limits = new TreeMap<>();
    for (Container c : pod.getContainers()) {
      add(requests, effective(c, defaults, true));
      add(limits, effective(c, defaults, false));
    }
    for (Container c : pod.getInitContainers()) {
      max(requests, effective(c, defaults, true));
      max(limits, effective(c, defaults, false));
    }
    if (pod.getOverhead() != null) {
      Map<String, BigDecimal> overhead = amounts(pod.getOverhead());
      add(requests, overhead);
      if (!limits.isEmpty()) {
        add(limits, overhead);
      }
    }
    return new PodDemand(
        Map.copyOf(requests),
        Map.copyOf(limits),
        pod.getActiveDeadlineSeconds() != null,
        pod.getPriorityClassName());
  }

  /**
   * A container's request (or limit) per resource, filled in as API defaulting and LimitRanger
   * would.
   */
  private static Map<String, BigDecimal> effective(
      Container c, Defaults defaults, boolean request) {
    Map<String, BigDecimal> explicitRequests =
        c.getResources() == null ? Map.of() : amounts(c.getResources().getRequests());
    Map<String, BigDecimal> explicitLimits =
        c.getResources() == null ? Map.of() : amounts(c.getResources().getLimits());
    Map<String, BigDecimal> out = new HashMap<>();
    if (request) {
      out.putAll(defaults.requests());
      out.putAll(
          defaults.limits().isEmpty()
              ? Map.of()
              : onlyMissing(defaults.limits(), defaults.requests()));
      out.putAll(explicitLimits); // a limit without a request makes the request equal to the limit
      out.putAll(explicitRequests);
    } else {
      out.putAll(defaults.limits());
      out.putAll(explicitLimits);
    }
    return out;
  }

  private static Map<String, BigDecimal> onlyMissing(
      Map<String, BigDecimal> from, Map<String, BigDecimal> present) {
    Map<String, BigDecimal> out = new HashMap<>(from);
    out.keySet().removeAll(present.keySet());
    return out;
  }

  private static void add(Map<String, BigDecimal> into, Map<String, BigDecimal> more) {
    more.forEach((k, v) -> into.merge(k, v, BigDecimal::add));
  }

  private static void max(Map<String, BigDecimal> into, Map<String, BigDecimal> more) {
    more.forEach((k, v) -> into.merge(k, v, BigDecimal::max));
  }

  static Map<String, BigDecimal> amounts(Map<String, Quantity> quantities) {
    Map<String, BigDecimal> out = new HashMap<>();
    if (quantities != null) {
      quantities.forEach((k, v) -> out.put(k, v.getNumericalAmount()));
    }
    return out;
  }

  /**
   * Container defaults of the namespace's LimitRanges (the first one that sets a resource wins).
   */
  private record Defaults(Map<String, BigDecimal> requests, Map<String, BigDecimal> limits) {
    static Defaults of(List<LimitRange> ranges) {
      Map<String, BigDecimal> requests = new HashMap<>();
      Map<String, BigDecimal> limits = new HashMap<>();
      for (LimitRange range : ranges) {
        if (range.getSpec() == null || range.getSpec().getLimits() == null) {
          continue;
        }
        for (LimitRangeItem item : range.getSpec().getLimits()) {
          if ("Container".equals(item.getType())) {
            amounts(item.getDefaultRequest()).forEach(requests::putIfAbsent);
            amounts(item.getDefault()).forEach(limits::putIfAbsent);
          }
        }
      }
      return new Defaults(requests, limits);
    }
  }
}
