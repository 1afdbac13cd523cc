package dev.gridsearch.operator.metrics;

import dev.gridsearch.operator.api.GridSearch;
import dev.gridsearch.operator.plan.Plan;

/** What the reconciler reports to metrics; the implementation decides the meters. */
public interface GridSearchMetrics {
  GridSearchMetrics NONE = new GridSearchMetrics() {
    @Override
    public void applied(GridSearch search, Plan plan) {
    }

    @Override
    public void launchesHeldBack(GridSearch search, int trials) {
    }
  };

  /** After a plan was carried out: its records (trials that reached a final state) and its status. */
  void applied(GridSearch search, Plan plan);

  /** Trials that could have been launched but were held back because a ResourceQuota had no room. */
  void launchesHeldBack(GridSearch search, int trials);
}
