package dev.gridsearch.operator.results;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The durable record of one point, written once every trial of it has a record. {@code value} is
 * the objective metric's aggregate, what ranks the point; {@code metrics} hold each reported
 * metric's statistics over the succeeded trials and {@code splits} each trial's value by split
 * number ({@code repeat × folds + fold}). Stored flat, in the layout of scikit-learn's cv_results_
 * ({@link #cvRow()}).
 */
public record PointRecord(
    long point,
    PointState state,
    Map<String, String> params,
    int trials,
    int succeeded,
    Double value,
    String reason,
    Map<String, MetricStats> metrics,
    Map<String, SortedMap<Integer, Double>> splits,
    Double meanTrialSeconds,
    Double stdTrialSeconds) {

  /** The statistics of the objective metric, when any trial reported it. */
  public MetricStats stats(String metric) {
    return metrics.get(metric);
  }

  /**
   * The flat row: point, state, reason, params, trials, succeeded, value, then per metric {@code
   * mean_test_<m>}, {@code std_test_<m>}, {@code stderr_test_<m>}, {@code median_test_<m>}, {@code
   * min_test_<m>}, {@code max_test_<m>}, {@code n_test_<m>} and {@code split<k>_test_<m>}, then
   * {@code mean_trial_seconds} and {@code std_trial_seconds}. Ranks are left to readers: they
   * change as other points finish.
   */
  public Map<String, Object> cvRow() {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("point", point);
    row.put("state", state.name());
    if (reason != null) {
      row.put("reason", reason);
    }
    row.put("params", params);
    row.put("trials", trials);
    row.put("succeeded", succeeded);
    if (value != null) {
      row.put("value", value);
    }
    metrics.forEach(
        (m, s) -> {
          row.put("mean_test_" + m, s.mean());
          row.put("std_test_" + m, s.std());
          row.put("stderr_test_" + m, s.stderr());
          row.put("median_test_" + m, s.median());
          row.put("min_test_" + m, s.min());
          row.put("max_test_" + m, s.max());
          row.put("n_test_" + m, s.n());
          splits
              .getOrDefault(m, new TreeMap<>())
              .forEach((k, v) -> row.put("split" + k + "_test_" + m, v));
        });
    if (meanTrialSeconds != null) {
      row.put("mean_trial_seconds", meanTrialSeconds);
      row.put("std_trial_seconds", stdTrialSeconds);
    }
    return row;
  }
}
