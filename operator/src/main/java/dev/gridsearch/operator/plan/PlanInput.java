package dev.gridsearch.operator.plan;

import dev.gridsearch.operator.api.GridSearch;
import dev.gridsearch.operator.grid.Grid;
import dev.gridsearch.operator.results.ResultsView;
import dev.gridsearch.operator.trial.TrialObservation;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Everything the planner decides from, gathered by the reconciler from informer caches.
 *
 * @param search the GridSearch as cached: spec, generation and the status last written
 * @param grid the grid of its parameters (absent when the parameters could not form one)
 * @param invalid why the spec cannot run (operator-side checks and the dry-run), if it cannot
 * @param live the search's trial Jobs that exist now
 * @param results the recorded results
 * @param deleted launched indexes whose Job is gone without a record: deleted by someone else
 * @param now the reconcile's clock reading
 * @param launchLimit the most trials this plan may launch (quota, Job-creation tokens, or creations
 *     that succeeded)
 * @param quotaLimited why trials wait for a ResourceQuota, when they do
 * @param resources what one trial requests and whether the peak fits the quotas
 * @param lost launched indexes whose record went with a deleted results ConfigMap, and their Jobs
 *     too
 * @param recordsLost what was lost, when records were
 * @param nameConflict an object of someone else's in the way of the search's own, when one is
 */
public record PlanInput(
    GridSearch search,
    Optional<Grid> grid,
    Optional<String> invalid,
    List<TrialObservation> live,
    ResultsView results,
    Set<Long> deleted,
    Instant now,
    int launchLimit,
    Optional<String> quotaLimited,
    TrialResources resources,
    Set<Long> lost,
    Optional<String> recordsLost,
    Optional<String> nameConflict) {

  public PlanInput(
      GridSearch search,
      Optional<Grid> grid,
      Optional<String> invalid,
      List<TrialObservation> live,
      ResultsView results,
      Set<Long> deleted,
      Instant now) {
    this(
        search,
        grid,
        invalid,
        live,
        results,
        deleted,
        now,
        Integer.MAX_VALUE,
        Optional.empty(),
        TrialResources.UNKNOWN,
        Set.of(),
        Optional.empty(),
        Optional.empty());
  }

  public PlanInput withLaunchLimit(int limit) {
    return new PlanInput(
        search,
        grid,
        invalid,
        live,
        results,
        deleted,
        now,
        limit,
        quotaLimited,
        resources,
        lost,
        recordsLost,
        nameConflict);
  }

  public PlanInput withQuotaLimit(int limit, String why) {
    return new PlanInput(
        search,
        grid,
        invalid,
        live,
        results,
        deleted,
        now,
        Math.min(limit, launchLimit),
        Optional.of(why),
        resources,
        lost,
        recordsLost,
        nameConflict);
  }

  public PlanInput withResources(TrialResources trialResources) {
    return new PlanInput(
        search,
        grid,
        invalid,
        live,
        results,
        deleted,
        now,
        launchLimit,
        quotaLimited,
        trialResources,
        lost,
        recordsLost,
        nameConflict);
  }

  public PlanInput withLostRecords(Set<Long> lostTrials, String why) {
    return new PlanInput(
        search,
        grid,
        invalid,
        live,
        results,
        deleted,
        now,
        launchLimit,
        quotaLimited,
        resources,
        lostTrials,
        Optional.of(why),
        nameConflict);
  }

  public PlanInput withNameConflict(String why) {
    return new PlanInput(
        search,
        grid,
        invalid,
        live,
        results,
        deleted,
        now,
        launchLimit,
        quotaLimited,
        resources,
        lost,
        recordsLost,
        Optional.of(why));
  }
}
