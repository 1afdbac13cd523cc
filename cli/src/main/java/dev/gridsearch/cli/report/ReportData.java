package dev.gridsearch.cli.report;

import dev.gridsearch.cli.view.Heatmap;
import dev.gridsearch.cli.view.Reduce;
import dev.gridsearch.cli.view.SearchInfo;
import dev.gridsearch.cli.view.TrialColumns;
import dev.gridsearch.cli.view.TrialOrder;
import dev.gridsearch.operator.grid.Axis;
import dev.gridsearch.operator.results.Leaderboard;
import dev.gridsearch.operator.results.PointRecord;
import dev.gridsearch.operator.results.PointState;
import dev.gridsearch.operator.results.ResultRecord;
import dev.gridsearch.operator.trial.TrialState;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Everything the report shows, gathered in one pass over the records. It keeps per-value and
 * per-cell sums, the leaderboard, samples and a few numbers per trial (times and values), never the
 * records themselves: about 40 bytes a trial.
 */
public final class ReportData implements Consumer<ResultRecord> {
  public static final int LEADERBOARD = 20;
  public static final int FAILURES_SHOWN = 100;

  /** Lines of the parallel-coordinates plot: the best ones, and a fixed-seed sample of the rest. */
  public static final int PARALLEL_BEST = 200;

  public static final int PARALLEL_SAMPLE = 800;

  /** Cells of all pair heatmaps together; beyond it, pairs of huge axes are left out. */
  static final long CELL_BUDGET = 1_000_000;

  final SearchInfo info;
  final Map<TrialState, Long> counts = new EnumMap<>(TrialState.class);
  final TreeSet<String> metricNames = new TreeSet<>();
  long records;
  final DoubleList values = new DoubleList();
  final Comparator<ResultRecord> best;
  final PriorityQueue<ResultRecord> top;

  /**
   * What the distribution, marginals, importance and parallel coordinates count: each trial, or
   * with repeats or folds each ranked point by its aggregate (as the leaderboard ranks it).
   */
  record Scored(long id, Map<String, String> parameters, double value) {}

  /** "trial" or "point": what one {@link Scored} is. */
  final String unit;

  private final Comparator<Scored> bestScored;
  final PriorityQueue<Scored> parallelBest;
  final List<Scored> parallelSample = new ArrayList<>();
  private long parallelSeen;
  private final Random sampler = new Random(16);
  final List<ResultRecord> failures = new ArrayList<>();
  long failed;

  /** Per parameter and value index: n, sum, sum of squares and best of the objective. */
  final Map<String, double[][]> marginals = new LinkedHashMap<>();

  final Map<String, List<String>> axisValues = new LinkedHashMap<>();
  final Map<String, Map<String, Integer>> axisIndex = new LinkedHashMap<>();
  final List<Heatmap> pairs = new ArrayList<>();

  /** Per timed trial: start and finish (epoch ms), its value (NaN when none) and state. */
  final LongList starts = new LongList();

  final LongList finishes = new LongList();
  final DoubleList timedValues = new DoubleList();
  double trialSeconds;

  public ReportData(SearchInfo info) {
    this.info = info;
    this.topPointsOrder = Leaderboard.order(info.goal());
    this.topPoints = new PriorityQueue<>(topPointsOrder.reversed());
    this.best = TrialOrder.by(info.metric(), info, false);
    this.top = new PriorityQueue<>(best.reversed());
    this.unit = info.hasPoints() ? "point" : "trial";
    Comparator<Scored> byValue = Comparator.comparingDouble(Scored::value);
    this.bestScored =
        (info.maximize() ? byValue.reversed() : byValue).thenComparingLong(Scored::id);
    this.parallelBest = new PriorityQueue<>(bestScored.reversed());
    for (String p : info.parameters()) {
      var axis = info.axis(p);
      if (axis.isEmpty() || axis.get().size() > Heatmap.MAX_AXIS_VALUES) {
        continue;
      }
      List<String> vs = values(axis.get());
      axisValues.put(p, vs);
      Map<String, Integer> index = new LinkedHashMap<>();
      for (int k = 0; k < vs.size(); k++) {
        index.put(vs.get(k), k);
      }
      axisIndex.put(p, index);
      marginals.put(p, new double[vs.size()][4]);
    }
    List<String> ps = new ArrayList<>(axisValues.keySet());
    long cells = 0;
    for (int a = 0; a < ps.size(); a++) {
      for (int b = a + 1; b < ps.size(); b++) {
        cells += (long) axisValues.get(ps.get(a)).size() * axisValues.get(ps.get(b)).size();
      }
    }
    if (ps.size() == 1) {
      pairs.add(null); // a one-parameter grid: its heatmap is one row, filled from the marginal
    }
    for (int a = 0; a < ps.size() && cells <= CELL_BUDGET; a++) {
      for (int b = a + 1; b < ps.size(); b++) {
        // Rows: the earlier parameter (it varies slower in the grid); columns: the later one.
        pairs.add(
            new Heatmap(info, ps.get(b), ps.get(a), info.metric(), Reduce.best(info.maximize())));
      }
    }
  }

  private static List<String> values(Axis axis) {
    List<String> out = new ArrayList<>();
    for (long k = 0; k < axis.size(); k++) {
      out.add(axis.valueAt(k));
    }
    return out;
  }

  @Override
  public void accept(ResultRecord r) {
    records++;
    counts.merge(r.state(), 1L, Long::sum);
    if (r.metrics() != null) {
      metricNames.addAll(r.metrics().keySet());
    }
    Double v = TrialColumns.metric(r, info.metric());
    boolean hasValue = v != null && !v.isNaN() && !v.isInfinite();
    if (hasValue) {
      bounded(top, r, LEADERBOARD);
      if (!info.hasPoints()) {
        score(new Scored(r.trial(), r.parameters(), v));
        for (Heatmap h : pairs) {
          if (h != null) {
            h.accept(r);
          }
        }
      }
    }
    if (r.state().isFailure()) {
      failed++;
      if (failures.size() < FAILURES_SHOWN) {
        failures.add(r);
      }
    }
    Long start = epoch(r.startTime());
    Long finish = epoch(r.finishTime());
    if (start != null && finish != null && finish >= start) {
      starts.add(start);
      finishes.add(finish);
      timedValues.add(hasValue ? v : Double.NaN);
      trialSeconds += (finish - start) / 1000.0;
    }
  }

  /** Point records (with repeats or folds): the best points, counts by state, the heatmaps. */
  private final Comparator<PointRecord> topPointsOrder;

  final PriorityQueue<PointRecord> topPoints;

  final Map<PointState, Long> pointCounts = new EnumMap<>(PointState.class);

  /** Feeds one point record: from the operator's aggregates, never recomputed here. */
  public void acceptPoint(PointRecord p) {
    pointCounts.merge(p.state(), 1L, Long::sum);
    if (!info.hasPoints() || !Leaderboard.ranked(p)) {
      return;
    }
    topPoints.add(p);
    if (topPoints.size() > LEADERBOARD) {
      topPoints.poll();
    }
    score(new Scored(p.point(), p.params(), p.value()));
    for (Heatmap h : pairs) {
      if (h != null) {
        h.acceptPoint(p);
      }
    }
  }

  /** The best ranked points, best first, with their ranks (the best n decide their own ranks). */
  List<PointRecord> pointLeaderboard() {
    List<PointRecord> out = new ArrayList<>(topPoints);
    out.sort(Leaderboard.order(info.goal()));
    return out;
  }

  Map<Long, Integer> pointRanks() {
    return Leaderboard.ranks(topPoints, info.goal());
  }

  private void score(Scored s) {
    values.add(s.value());
    Scored fallen = bounded(parallelBest, s, PARALLEL_BEST);
    if (fallen != null) {
      sample(fallen);
    }
    for (var e : marginals.entrySet()) {
      Integer k = index(e.getKey(), s.parameters());
      if (k != null) {
        double v = s.value();
        double[] m = e.getValue()[k];
        m[3] = m[0] == 0 ? v : info.maximize() ? Math.max(m[3], v) : Math.min(m[3], v);
        m[0]++;
        m[1] += v;
        m[2] += v * v;
      }
    }
  }

  /** Adds r to a heap of the best n; returns the one that fell out, or null. */
  private static <T> T bounded(PriorityQueue<T> heap, T r, int n) {
    heap.add(r);
    return heap.size() > n ? heap.poll() : null;
  }

  /** Reservoir sampling (Algorithm R) over the scored ones that are not among the best. */
  private void sample(Scored fallen) {
    parallelSeen++;
    if (parallelSample.size() < PARALLEL_SAMPLE) {
      parallelSample.add(fallen);
    } else {
      long j = (long) (sampler.nextDouble() * parallelSeen);
      if (j < PARALLEL_SAMPLE) {
        parallelSample.set((int) j, fallen);
      }
    }
  }

  Integer index(String parameter, Map<String, String> parameters) {
    return parameters == null ? null : axisIndex.get(parameter).get(parameters.get(parameter));
  }

  List<ResultRecord> leaderboard() {
    List<ResultRecord> out = new ArrayList<>(top);
    out.sort(best);
    return out;
  }

  /** Every line of the parallel-coordinates plot, best first. */
  List<Scored> parallel() {
    List<Scored> out = new ArrayList<>(parallelBest);
    out.addAll(parallelSample);
    out.sort(bestScored);
    return out;
  }

  long parallelTotal() {
    return values.size();
  }

  /**
   * How much of the objective's variance each parameter's values explain alone (eta squared:
   * between-value sum of squares over the total), highest first.
   */
  Map<String, Double> importance() {
    Map<String, Double> out = new LinkedHashMap<>();
    double n = values.size();
    if (n < 2) {
      marginals.keySet().forEach(p -> out.put(p, 0.0));
      return out;
    }
    double mean = values.sum() / n;
    double total = values.sumOfSquares() - n * mean * mean;
    List<Map.Entry<String, Double>> all = new ArrayList<>();
    for (var e : marginals.entrySet()) {
      double between = 0;
      for (double[] m : e.getValue()) {
        if (m[0] > 0) {
          double mv = m[1] / m[0];
          between += m[0] * (mv - mean) * (mv - mean);
        }
      }
      all.add(Map.entry(e.getKey(), total > 1e-300 ? Math.min(1, between / total) : 0.0));
    }
    all.sort(Map.Entry.<String, Double>comparingByValue().reversed());
    all.forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  /** The heatmaps to show: pairs of the three most important parameters, most important first. */
  List<Heatmap> heatmaps() {
    if (pairs.size() == 1 && pairs.get(0) == null) {
      return List.of();
    }
    List<String> order = new ArrayList<>(importance().keySet());
    List<Heatmap> chosen = new ArrayList<>(pairs);
    chosen.sort(
        Comparator.comparingInt(
                (Heatmap h) ->
                    Math.min(order.indexOf(h.x()), order.indexOf(h.y())) * 100
                        + Math.max(order.indexOf(h.x()), order.indexOf(h.y())))
            .thenComparing(h -> h.y() + "\u0000" + h.x()));
    return chosen.subList(0, Math.min(3, chosen.size()));
  }

  static Long epoch(String time) {
    if (time == null) {
      return null;
    }
    try {
      return Instant.parse(time).toEpochMilli();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** A growable array of doubles: 8 bytes a value, where a List would take about 24. */
  static final class DoubleList {
    private double[] a = new double[64];
    private int n;

    void add(double v) {
      if (n == a.length) {
        a = Arrays.copyOf(a, n * 2);
      }
      a[n++] = v;
    }

    double get(int i) {
      return a[i];
    }

    int size() {
      return n;
    }

    double sum() {
      double s = 0;
      for (int i = 0; i < n; i++) {
        s += a[i];
      }
      return s;
    }

    double sumOfSquares() {
      double s = 0;
      for (int i = 0; i < n; i++) {
        s += a[i] * a[i];
      }
      return s;
    }

    double[] toArray() {
      return Arrays.copyOf(a, n);
    }
  }

  static final class LongList {
    private long[] a = new long[64];
    private int n;

    void add(long v) {
      if (n == a.length) {
        a = Arrays.copyOf(a, n * 2);
      }
      a[n++] = v;
    }

    long get(int i) {
      return a[i];
    }

    int size() {
      return n;
    }
  }
}
