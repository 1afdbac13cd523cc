package dev.gridsearch.operator.observe;

import dev.gridsearch.operator.api.GridSearch;
import dev.gridsearch.operator.results.ResultsView;
import dev.gridsearch.operator.trial.TrialObservation;
import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One search as the informer caches show it at the start of a reconcile.
 *
 * @param search the GridSearch, with the status the planner starts from
 * @param live its own trial Jobs, observed, by trial index
 * @param jobsWithPods the names of those Jobs that have a pod
 * @param disruptions how many pods of each unfinished trial were seen disrupted (evicted,
 *     preempted, node lost)
 * @param results its own result records
 * @param quotas the ResourceQuotas that apply to its trials (none with Kueue)
 * @param limitRanges the namespace's LimitRanges
 * @param now the reconcile's clock reading
 */
public record Snapshot(
    GridSearch search,
    Map<Long, TrialObservation> live,
    Set<String> jobsWithPods,
    Map<Long, Integer> disruptions,
    ResultsView results,
    List<ResourceQuota> quotas,
    List<LimitRange> limitRanges,
    Instant now) {}
