package dev.gridsearch.operator.metrics;

import dev.gridsearch.operator.api.GridSearch;
import dev.gridsearch.operator.api.GridSearchStatus;
import dev.gridsearch.operator.results.ResultRecord;
import java.util.List;

/** What the reconciler reports to metrics; the implementation decides the meters. */
public interface GridSearchMetrics {
  GridSearchMetrics NONE =
      new GridSearchMetrics() {
        @Override
        public void applied(
            GridSearch search, List<ResultRecord> records, GridSearchStatus status) {}

        @Override
        public void launchesHeldBack(GridSearch search, int trials) {}
      };

  /**
   * After a plan was carried out: its records (trials that reached a final state) and the status it
   * led to.
   */
  void applied(GridSearch search, List<ResultRecord> records, GridSearchStatus status);

  /**
   * Trials that could have been launched but were held back because a ResourceQuota had no room.
   */
  void launchesHeldBack(GridSearch search, int trials);
}
