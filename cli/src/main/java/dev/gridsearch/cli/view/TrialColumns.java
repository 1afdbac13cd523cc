package dev.gridsearch.cli.view;

import dev.gridsearch.operator.results.ResultRecord;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * The columns of a trial listing: the trial index, the parameters in grid order, the metrics (the
 * objective first, the others by name), the state, the duration and the reason.
 */
public record TrialColumns(List<String> parameters, List<String> metrics) {

  public static TrialColumns of(SearchInfo info, Collection<String> seenMetrics) {
    TreeSet<String> others = new TreeSet<>(seenMetrics);
    others.remove(info.metric());
    List<String> metrics = new ArrayList<>();
    metrics.add(info.metric());
    metrics.addAll(others);
    return new TrialColumns(info.parameters(), metrics);
  }

  /** Machine headers: exact names, duration in seconds. */
  public List<String> header() {
    List<String> h = new ArrayList<>();
    h.add("trial");
    h.addAll(parameters);
    h.addAll(metrics);
    h.addAll(List.of("state", "duration_seconds", "reason"));
    return h;
  }

  /** Table headers: kubectl's upper case for the fixed columns, names as they are otherwise. */
  public List<String> tableHeader() {
    List<String> h = new ArrayList<>();
    h.add("TRIAL");
    h.addAll(parameters);
    h.addAll(metrics);
    h.addAll(List.of("STATE", "DURATION", "REASON"));
    return h;
  }

  public List<String> csvRow(ResultRecord r) {
    List<String> row = new ArrayList<>(header().size());
    row.add(Long.toString(r.trial()));
    parameters.forEach(p -> row.add(r.parameters() == null ? "" : nz(r.parameters().get(p))));
    metrics.forEach(m -> row.add(Numbers.exactly(metric(r, m))));
    row.add(r.state().name());
    double s = ResultRecord.seconds(r);
    row.add(r.startTime() == null || r.finishTime() == null ? "" : Numbers.exactly(s));
    row.add(nz(r.reason()));
    return row;
  }

  public List<String> tableRow(ResultRecord r) {
    List<String> row = new ArrayList<>(header().size());
    row.add(Long.toString(r.trial()));
    parameters.forEach(p -> row.add(r.parameters() == null ? "" : nz(r.parameters().get(p))));
    metrics.forEach(m -> row.add(Numbers.shortly(metric(r, m))));
    row.add(r.state().name());
    row.add(
        r.startTime() == null || r.finishTime() == null
            ? ""
            : Numbers.seconds(ResultRecord.seconds(r)));
    row.add(nz(r.reason()));
    return row;
  }

  /** A metric's value: the objective falls back to the record's value. */
  public static Double metric(ResultRecord r, String name) {
    Double v = r.metrics() == null ? null : r.metrics().get(name);
    return v;
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}
