package dev.gridsearch.operator.quota;

import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ScopedResourceSelectorRequirement;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How many more trials the namespace's ResourceQuotas admit: for every quota whose scopes select a
 * trial's pod, and every resource it limits that a trial uses, free = hard − max(used, what our own
 * pods and Jobs hold) − what our Jobs will charge once their pods exist. The max covers a quota
 * status that lags behind pods we already see.
 */
public final class QuotaHeadroom {
  private final List<ResourceQuota> quotas;

  public QuotaHeadroom(List<ResourceQuota> quotas) {
    this.quotas = quotas;
  }

  /**
   * Why a trial cannot be admitted: the quota, the resource, what one trial needs and what is free.
   */
  public record Shortage(String quota, String resource, BigDecimal need, BigDecimal free) {
    public String describe() {
      return "ResourceQuota "
          + quota
          + ": "
          + resource
          + " needs "
          + plain(need)
          + " per trial, "
          + plain(free)
          + " free";
    }
  }

  /** The answer: how many of the wanted trials fit, and the first shortage when not all do. */
  public record Fit(int trials, Optional<Shortage> shortage) {}

  /**
   * What the operator's own trials hold now, and what they will charge once their pods are created.
   */
  public record Footprint(Map<String, BigDecimal> inUse, Map<String, BigDecimal> unreflected) {
    public static final Footprint NONE = new Footprint(Map.of(), Map.of());
  }

  /**
   * How many of {@code wanted} trials, each needing {@code pod} times {@code podsPerTrial}, fit
   * now.
   */
  public Fit fit(PodDemand pod, int podsPerTrial, Footprint ours, int wanted) {
    Map<String, BigDecimal> trial = trialCharges(pod, podsPerTrial);
    int allowed = wanted;
    Shortage first = null;
    for (ResourceQuota quota : quotas) {
      if (!selects(quota, pod)) {
        continue;
      }
      Map<String, BigDecimal> hard =
          PodDemand.amounts(
              quota.getStatus() == null || quota.getStatus().getHard() == null
                  ? quota.getSpec().getHard()
                  : quota.getStatus().getHard());
      Map<String, BigDecimal> used =
          quota.getStatus() == null ? Map.of() : PodDemand.amounts(quota.getStatus().getUsed());
      boolean scoped = hasScopes(quota);
      for (Map.Entry<String, BigDecimal> h : hard.entrySet()) {
        BigDecimal need = trial.get(h.getKey());
        if (need == null || need.signum() == 0 || (scoped && h.getKey().startsWith("count/"))) {
          continue;
        }
        BigDecimal taken =
            used.getOrDefault(h.getKey(), BigDecimal.ZERO)
                .max(ours.inUse().getOrDefault(h.getKey(), BigDecimal.ZERO));
        BigDecimal free =
            h.getValue()
                .subtract(taken)
                .subtract(ours.unreflected().getOrDefault(h.getKey(), BigDecimal.ZERO))
                .max(BigDecimal.ZERO);
        int fits =
            free.divide(need, 0, RoundingMode.FLOOR)
                .min(BigDecimal.valueOf(Integer.MAX_VALUE))
                .intValue();
        if (fits < allowed) {
          allowed = fits;
          first = new Shortage(quota.getMetadata().getName(), h.getKey(), need, free);
        }
      }
    }
    return new Fit(allowed, Optional.ofNullable(first));
  }

  /** A trial bigger than some quota's hard limit can never run. */
  public Optional<Shortage> neverFits(PodDemand pod, int podsPerTrial) {
    Map<String, BigDecimal> trial = trialCharges(pod, podsPerTrial);
    for (ResourceQuota quota : quotas) {
      if (!selects(quota, pod)) {
        continue;
      }
      Map<String, BigDecimal> hard = PodDemand.amounts(quota.getSpec().getHard());
      for (Map.Entry<String, BigDecimal> h : hard.entrySet()) {
        BigDecimal need = trial.get(h.getKey());
        if (need != null && need.compareTo(h.getValue()) > 0) {
          return Optional.of(
              new Shortage(quota.getMetadata().getName(), h.getKey(), need, h.getValue()));
        }
      }
    }
    return Optional.empty();
  }

  /** What one new trial charges: its Job and its pods. */
  public static Map<String, BigDecimal> trialCharges(PodDemand pod, int pods) {
    Map<String, BigDecimal> out = charges(pod, pods);
    out.put("count/jobs.batch", BigDecimal.ONE);
    return out;
  }

  /** What {@code pods} such pods charge, by every name a quota may use for it. */
  public static Map<String, BigDecimal> charges(PodDemand pod, int pods) {
    BigDecimal n = BigDecimal.valueOf(pods);
    Map<String, BigDecimal> out = new HashMap<>();
    out.put("pods", n);
    out.put("count/pods", n);
    pod.requests()
        .forEach(
            (resource, amount) -> {
              out.put("requests." + resource, amount.multiply(n));
              if (!resource.contains("/")) {
                out.put(
                    resource, amount.multiply(n)); // "cpu" and "memory" in a quota mean requests
              }
            });
    pod.limits().forEach((resource, amount) -> out.put("limits." + resource, amount.multiply(n)));
    return out;
  }

  /** Adds charges into a running total (for what is created but not reflected yet). */
  public static void accumulate(Map<String, BigDecimal> total, Map<String, BigDecimal> more) {
    more.forEach((k, v) -> total.merge(k, v, BigDecimal::add));
  }

  private static boolean hasScopes(ResourceQuota quota) {
    return (quota.getSpec().getScopes() != null && !quota.getSpec().getScopes().isEmpty())
        || (quota.getSpec().getScopeSelector() != null
            && quota.getSpec().getScopeSelector().getMatchExpressions() != null
            && !quota.getSpec().getScopeSelector().getMatchExpressions().isEmpty());
  }

  static boolean selects(ResourceQuota quota, PodDemand pod) {
    List<String> scopes =
        quota.getSpec().getScopes() == null ? List.of() : quota.getSpec().getScopes();
    for (String scope : scopes) {
      if (!scopeMatches(scope, null, pod)) {
        return false;
      }
    }
    if (quota.getSpec().getScopeSelector() != null
        && quota.getSpec().getScopeSelector().getMatchExpressions() != null) {
      for (ScopedResourceSelectorRequirement r :
          quota.getSpec().getScopeSelector().getMatchExpressions()) {
        if (!scopeMatches(r.getScopeName(), r, pod)) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean scopeMatches(
      String scope, ScopedResourceSelectorRequirement r, PodDemand pod) {
    return switch (scope) {
      case "Terminating" -> pod.terminating();
      case "NotTerminating" -> !pod.terminating();
      case "BestEffort" -> pod.bestEffort();
      case "NotBestEffort" -> !pod.bestEffort();
      case "PriorityClass" ->
          r == null
              ? pod.priorityClass() != null
              : switch (r.getOperator()) {
                case "In" ->
                    pod.priorityClass() != null && r.getValues().contains(pod.priorityClass());
                case "NotIn" ->
                    pod.priorityClass() == null || !r.getValues().contains(pod.priorityClass());
                case "Exists" -> pod.priorityClass() != null;
                case "DoesNotExist" -> pod.priorityClass() == null;
                default -> true;
              };
      default -> true; // CrossNamespacePodAffinity and unknown scopes: count the quota, to be safe
    };
  }

  static String plain(BigDecimal value) {
    return value.stripTrailingZeros().toPlainString();
  }
}
