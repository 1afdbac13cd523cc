package dev.gridsearch.operator.observe;

import dev.gridsearch.operator.api.GridSearch;
import dev.gridsearch.operator.grid.Grid;
import dev.gridsearch.operator.plan.PlanInput;
import dev.gridsearch.operator.plan.TrialResources;
import dev.gridsearch.operator.results.ResultsView;
import dev.gridsearch.operator.trial.TrialObservation;
import dev.gridsearch.operator.trial.TrialRenderer;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Everything one reconcile knows about its search, observed once: what the planner decides from,
 * bar the limits (quota room, creation tokens) that are the reconciler's to grant.
 *
 * @param renderer renders the search's trials (null when the parameters form no grid)
 * @param admissionWaits why launched trials have no pod yet, when some have waited long
 * @param nameConflict an object of someone else's where the search's own must go, when one is found
 */
public record Observation(
    GridSearch search,
    Optional<Grid> grid,
    Optional<String> invalid,
    List<TrialObservation> live,
    ResultsView results,
    Set<Long> deleted,
    Set<Long> lost,
    Optional<String> recordsLost,
    Optional<String> admissionWaits,
    Optional<String> nameConflict,
    TrialResources resources,
    TrialRenderer renderer,
    Instant now) {

  /** The planner's input, with no launch limit: the reconciler adds the limits it grants. */
  public PlanInput input() {
    PlanInput known =
        new PlanInput(search, grid, invalid, live, results, deleted, now).withResources(resources);
    PlanInput observed = recordsLost.map(why -> known.withLostRecords(lost, why)).orElse(known);
    PlanInput waiting =
        admissionWaits.map(why -> observed.withQuotaLimit(Integer.MAX_VALUE, why)).orElse(observed);
    return nameConflict.map(waiting::withNameConflict).orElse(waiting);
  }
}
