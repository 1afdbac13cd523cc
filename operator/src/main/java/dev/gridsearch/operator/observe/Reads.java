package dev.gridsearch.operator.observe;

import dev.gridsearch.operator.grid.Grid;
import dev.gridsearch.operator.results.ResultsView;
import dev.gridsearch.operator.trial.TrialObservation;
import dev.gridsearch.operator.trial.TrialRenderer;
import java.util.Optional;

/**
 * The few reads beyond the caches that observing may need: the API server decides when the caches
 * cannot account for a trial. The reconciler implements them with the client; tests with a world of
 * their own.
 */
public interface Reads {
  /** The renderer of the search's trials, or null where none can be made. */
  TrialRenderer renderer(Grid grid);

  /**
   * What CEL cannot check (placeholders, trial 0's dry-run), once per search: empty when it passed.
   */
  Optional<String> validate(TrialRenderer renderer);

  /** The search's own result records straight from the API server. */
  ResultsView freshResults();

  /**
   * Trial {@code index}'s Job straight from the API server, observed, when it exists and is ours.
   */
  Optional<TrialObservation> job(long index);

  /** Why a trial Job's pods are refused (its latest FailedCreate event), when known. */
  Optional<String> lastFailedCreate(String job);
}
