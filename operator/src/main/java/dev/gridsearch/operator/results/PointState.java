package dev.gridsearch.operator.results;

/** What a point's trials add up to; only {@link #Succeeded} points are ranked. */
public enum PointState {
  /**
   * Every trial counted succeeded (or, with failedTrials Skip, at least one) and the point is
   * feasible.
   */
  Succeeded,
  /**
   * A trial failed (failedTrials Disqualify), or none succeeded: scikit-learn's error_score=nan.
   */
  Failed,
  /** The aggregates violate one of objective.constraints. */
  Infeasible,
  /**
   * A trial was stopped or never ran (budget, goal reached, search ended): the point is incomplete.
   */
  Stopped
}
