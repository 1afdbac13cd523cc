package dev.gridsearch.operator.results;

import dev.gridsearch.operator.api.Objective.Aggregate;
import java.util.Arrays;

/**
 * One metric over a point's succeeded trials. {@code std} is the population standard deviation
 * (ddof=0), as scikit-learn's std_test_score; {@code stderr} is std / √n.
 */
public record MetricStats(
    int n, double mean, double std, double stderr, double median, double min, double max) {

  public static MetricStats of(double[] values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("no values");
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    double sum = 0;
    for (double v : sorted) {
      sum += v;
    }
    double mean = sum / n;
    double squares = 0;
    for (double v : sorted) {
      squares += (v - mean) * (v - mean);
    }
    double std = Math.sqrt(squares / n);
    double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    return new MetricStats(n, mean, std, std / Math.sqrt(n), median, sorted[0], sorted[n - 1]);
  }

  /** The statistic objective.aggregate names. */
  public double get(Aggregate aggregate) {
    return switch (aggregate) {
      case mean -> mean;
      case median -> median;
      case min -> min;
      case max -> max;
    };
  }
}
