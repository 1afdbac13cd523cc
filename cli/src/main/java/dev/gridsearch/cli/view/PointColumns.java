package dev.gridsearch.cli.view;

import dev.gridsearch.operator.results.MetricStats;
import dev.gridsearch.operator.results.PointRecord;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The columns of a point listing, named as scikit-learn's cv_results_: rank_test_&lt;m&gt;,
 * param_&lt;p&gt;, mean_test_&lt;m&gt;, std_test_&lt;m&gt;, ..., split&lt;k&gt;_test_&lt;m&gt;.
 */
public record PointColumns(SearchInfo info, List<String> metrics) {
  private static final List<String> STATS =
      List.of("mean", "std", "stderr", "median", "min", "max", "n");

  public static PointColumns of(SearchInfo info, Collection<PointRecord> points) {
    TreeSet<String> others = new TreeSet<>();
    points.forEach(p -> others.addAll(p.metrics().keySet()));
    others.remove(info.metric());
    List<String> metrics = new ArrayList<>();
    metrics.add(info.metric());
    metrics.addAll(others);
    return new PointColumns(info, metrics);
  }

  public String rankColumn() {
    return "rank_test_" + info.metric();
  }

  public List<String> header() {
    List<String> h = new ArrayList<>(List.of("point", rankColumn()));
    info.parameters().forEach(p -> h.add("param_" + p));
    h.add("value");
    int splits = info.layout().perPoint();
    for (String m : metrics) {
      STATS.forEach(s -> h.add(s + "_test_" + m));
      for (int k = 0; k < splits; k++) {
        h.add("split" + k + "_test_" + m);
      }
    }
    h.addAll(
        List.of(
            "mean_trial_seconds", "std_trial_seconds", "trials", "succeeded", "state", "reason"));
    return h;
  }

  public List<String> csvRow(PointRecord p, Integer rank) {
    List<String> row = new ArrayList<>();
    row.add(Long.toString(p.point()));
    row.add(rank == null ? "" : rank.toString());
    info.parameters().forEach(q -> row.add(p.params() == null ? "" : nz(p.params().get(q))));
    row.add(Numbers.exactly(p.value()));
    int splits = info.layout().perPoint();
    for (String m : metrics) {
      MetricStats s = p.metrics().get(m);
      if (s == null) {
        STATS.forEach(x -> row.add(""));
      } else {
        row.addAll(
            List.of(
                Numbers.exactly(s.mean()),
                Numbers.exactly(s.std()),
                Numbers.exactly(s.stderr()),
                Numbers.exactly(s.median()),
                Numbers.exactly(s.min()),
                Numbers.exactly(s.max()),
                Integer.toString(s.n())));
      }
      var split = p.splits().get(m);
      for (int k = 0; k < splits; k++) {
        row.add(split == null ? "" : Numbers.exactly(split.get(k)));
      }
    }
    row.add(Numbers.exactly(p.meanTrialSeconds()));
    row.add(Numbers.exactly(p.stdTrialSeconds()));
    row.add(Integer.toString(p.trials()));
    row.add(Integer.toString(p.succeeded()));
    row.add(p.state().name());
    row.add(nz(p.reason()));
    return row;
  }

  /** The flat cv_results_ row, with its rank: what -o jsonl prints for a point. */
  public static Map<String, Object> jsonRow(PointRecord p, Integer rank, String rankColumn) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("point", p.point());
    if (rank != null) {
      row.put(rankColumn, rank);
    }
    row.putAll(p.cvRow());
    return row;
  }

  public List<String> tableHeader() {
    List<String> h = new ArrayList<>(List.of("POINT", "RANK"));
    h.addAll(info.parameters());
    h.add(info.metric() + " (" + info.aggregate() + " ± std)");
    h.add("N");
    metrics.subList(1, metrics.size()).forEach(m -> h.add(m + " (mean)"));
    h.addAll(List.of("STATE", "DURATION", "REASON"));
    return h;
  }

  public List<String> tableRow(PointRecord p, Integer rank) {
    List<String> row = new ArrayList<>();
    row.add(Long.toString(p.point()));
    row.add(rank == null ? "" : rank.toString());
    info.parameters().forEach(q -> row.add(p.params() == null ? "" : nz(p.params().get(q))));
    MetricStats s = p.stats(info.metric());
    row.add(
        p.value() == null
            ? ""
            : Numbers.shortly(p.value()) + (s == null ? "" : " ± " + Numbers.shortly(s.std())));
    row.add(s == null ? "0" : Integer.toString(s.n()));
    for (String m : metrics.subList(1, metrics.size())) {
      MetricStats o = p.metrics().get(m);
      row.add(o == null ? "" : Numbers.shortly(o.mean()));
    }
    row.add(p.state().name());
    row.add(p.meanTrialSeconds() == null ? "" : Numbers.seconds(p.meanTrialSeconds()));
    row.add(nz(p.reason()));
    return row;
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}
