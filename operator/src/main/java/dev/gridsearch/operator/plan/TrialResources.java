package dev.gridsearch.operator.plan;

import dev.gridsearch.operator.quota.PodDemand;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What one trial asks for (its pod after LimitRange defaults, times its pods), and whether {@code
 * parallelism} of them at once fit the namespace's ResourceQuotas: known to the reconciler, used
 * for quota, budgets and the preflight.
 *
 * @param pod the trial's pod demand, or null when unknown (e.g. an invalid template)
 * @param podsPerTrial how many such pods one trial runs at once
 * @param quotas whether any ResourceQuota applies to the trials
 * @param peakShortage why the peak does not fit a quota's hard limits, when it does not
 */
public record TrialResources(
    PodDemand pod, int podsPerTrial, boolean quotas, Optional<String> peakShortage) {
  public static final TrialResources UNKNOWN = new TrialResources(null, 1, false, Optional.empty());

  /** Requests of one trial by resource name (cpu in cores, memory in bytes); empty when unknown. */
  public Map<String, BigDecimal> perTrial() {
    Map<String, BigDecimal> out = new TreeMap<>();
    if (pod != null) {
      pod.requests().forEach((k, v) -> out.put(k, v.multiply(BigDecimal.valueOf(podsPerTrial))));
    }
    return out;
  }
}
