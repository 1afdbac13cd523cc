package dev.gridsearch.operator.plan;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;

/**
 * What one trial requests (all its pods, after LimitRange defaults), and whether {@code parallelism} of them at once
 * fit the namespace's ResourceQuotas: known to the reconciler, used by the planner for budgets and the preflight.
 *
 * @param perTrial requests of one trial, by resource name (cpu in cores, memory in bytes)
 * @param quotas whether any ResourceQuota applies to the trials
 * @param peakShortage why the peak does not fit a quota's hard limits, when it does not
 */
public record TrialResources(Map<String, BigDecimal> perTrial, boolean quotas, Optional<String> peakShortage) {
  public static final TrialResources UNKNOWN = new TrialResources(Map.of(), false, Optional.empty());
}
