package dev.gridsearch.cli.view;

import dev.gridsearch.operator.grid.Axis;
import dev.gridsearch.operator.results.Leaderboard;
import dev.gridsearch.operator.results.PointRecord;
import dev.gridsearch.operator.results.ResultRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A metric over two parameters, the others reduced: one cell per pair of values, in grid order.
 * Memory is one cell per pair, never per trial.
 */
public final class Heatmap implements Consumer<ResultRecord> {
  private final String x;
  private final String y;
  private final String metric;
  private final Reduce reduce;
  private final String objective;
  private final List<String> xs;
  private final List<String> ys;
  private final Map<String, Integer> xIndex = new LinkedHashMap<>();
  private final Map<String, Integer> yIndex = new LinkedHashMap<>();
  private final double[][] sum;
  private final long[][] count;
  private long outside;

  /** The most values an axis may have here: larger axes make no picture. */
  public static final int MAX_AXIS_VALUES = 200;

  public Heatmap(SearchInfo info, String x, String y, String metric, Reduce reduce) {
    this.x = x;
    this.y = y;
    this.metric = metric;
    this.reduce = reduce;
    this.objective = info.metric();
    this.xs = values(info, x);
    this.ys = values(info, y);
    for (int i = 0; i < xs.size(); i++) {
      xIndex.put(xs.get(i), i);
    }
    for (int i = 0; i < ys.size(); i++) {
      yIndex.put(ys.get(i), i);
    }
    this.sum = new double[ys.size()][xs.size()];
    this.count = new long[ys.size()][xs.size()];
  }

  private static List<String> values(SearchInfo info, String name) {
    Optional<Axis> axis = info.axis(name);
    if (axis.isEmpty()) {
      throw new IllegalArgumentException(
          "\"" + name + "\" is not a parameter of " + info.name() + " " + info.parameters());
    }
    if (axis.get().size() > MAX_AXIS_VALUES) {
      throw new IllegalArgumentException(
          "parameter \""
              + name
              + "\" has "
              + axis.get().size()
              + " values; a heatmap shows at most "
              + MAX_AXIS_VALUES);
    }
    List<String> out = new ArrayList<>();
    for (long k = 0; k < axis.get().size(); k++) {
      out.add(axis.get().valueAt(k));
    }
    return out;
  }

  @Override
  public void accept(ResultRecord r) {
    Double v = TrialColumns.metric(r, metric);
    if (v == null || v.isNaN() || r.parameters() == null) {
      return;
    }
    Integer i = xIndex.get(r.parameters().get(x));
    Integer j = yIndex.get(r.parameters().get(y));
    if (i == null || j == null) {
      outside++;
      return;
    }
    add(j, i, v);
  }

  /** A ranked point's aggregate (the objective's, else the metric's mean) into its cell. */
  public void acceptPoint(PointRecord p) {
    if (!Leaderboard.ranked(p) || p.params() == null) {
      return;
    }
    Double v;
    if (metric.equals(objective)) {
      v = p.value();
    } else {
      var stats = p.metrics().get(metric);
      v = stats == null ? null : stats.mean();
    }
    Integer i = xIndex.get(p.params().get(x));
    Integer j = yIndex.get(p.params().get(y));
    if (v == null || i == null || j == null) {
      outside += v == null ? 0 : 1;
      return;
    }
    add(j, i, v);
  }

  /** Adds one value to the cell at row {@code j}, column {@code i}. */
  public void add(int j, int i, double v) {
    long n = count[j][i]++;
    sum[j][i] =
        switch (reduce) {
          case mean -> sum[j][i] + v;
          case max -> n == 0 ? v : Math.max(sum[j][i], v);
          case min -> n == 0 ? v : Math.min(sum[j][i], v);
        };
  }

  /** The reduced value at row j (a --y value), column i (an --x value), or null when empty. */
  public Double cell(int j, int i) {
    if (count[j][i] == 0) {
      return null;
    }
    return reduce == Reduce.mean ? sum[j][i] / count[j][i] : sum[j][i];
  }

  public long count(int j, int i) {
    return count[j][i];
  }

  public List<String> xs() {
    return xs;
  }

  public List<String> ys() {
    return ys;
  }

  public String x() {
    return x;
  }

  public String y() {
    return y;
  }

  public String metric() {
    return metric;
  }

  public Reduce reduce() {
    return reduce;
  }

  /** Records whose values are not on the axes (the grid changed, or a hand-edited record). */
  public long outside() {
    return outside;
  }

  /** The smallest and largest cell, or empty when no cell has a value. */
  public Optional<double[]> range() {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < ys.size(); j++) {
      for (int i = 0; i < xs.size(); i++) {
        Double v = cell(j, i);
        if (v != null) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
    }
    return lo > hi ? Optional.empty() : Optional.of(new double[] {lo, hi});
  }
}
