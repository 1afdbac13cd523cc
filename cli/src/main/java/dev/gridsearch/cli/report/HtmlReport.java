package dev.gridsearch.cli.report;

import static dev.gridsearch.cli.report.Html.esc;
import static dev.gridsearch.cli.report.Html.n;

import dev.gridsearch.cli.view.Heatmap;
import dev.gridsearch.cli.view.Numbers;
import dev.gridsearch.cli.view.Palette;
import dev.gridsearch.cli.view.TrialColumns;
import dev.gridsearch.operator.api.GridSearch;
import dev.gridsearch.operator.api.GridSearchStatus;
import dev.gridsearch.operator.results.MetricStats;
import dev.gridsearch.operator.results.PointRecord;
import dev.gridsearch.operator.results.ResultRecord;
import dev.gridsearch.operator.trial.TrialState;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One self-contained HTML file: inline CSS, inline SVG charts drawn here, and a little inline
 * script for tooltips and sorting. No network, no fonts, no libraries to fetch.
 */
public final class HtmlReport {
  private final GridSearch search;
  private final ReportData d;
  private final Instant generated;
  private final StringBuilder h = new StringBuilder(256 * 1024);

  public HtmlReport(GridSearch search, ReportData data, Instant generated) {
    this.search = search;
    this.d = data;
    this.generated = generated;
  }

  public String render() {
    String name = d.info.name();
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<meta name=\"generator\" content=\"kubectl-gridsearch\">\n")
        .append("<title>GridSearch ")
        .append(esc(name))
        .append("</title>\n<style>\n")
        .append(resource("report.css"))
        .append("</style>\n</head>\n<body>\n<div id=\"tip\" role=\"tooltip\"></div>\n");
    h.append("<header><h1>GridSearch <code>")
        .append(esc(name))
        .append("</code></h1><p class=\"sub\">namespace ")
        .append(esc(d.info.namespace()))
        .append(" · objective ")
        .append(esc(d.info.metric()))
        .append(" (")
        .append(d.info.goal())
        .append(") · generated ")
        .append(generated)
        .append(" by kubectl gridsearch report</p></header>\n<main>\n");
    summary();
    if (d.info.hasPoints()) {
      pointLeaderboard();
      variance();
    } else {
      leaderboard();
    }
    heatmaps();
    parallel();
    distribution();
    importance();
    timeline();
    failures();
    h.append("</main>\n<script>\n").append(resource("report.js")).append("</script>\n");
    h.append("</body>\n</html>\n");
    return h.toString();
  }

  // ---------------------------------------------------------------- summary

  private void summary() {
    GridSearchStatus s = search.getStatus();
    section("summary", "Summary");
    h.append("<dl class=\"facts\">");
    fact("Phase", s == null || s.phase() == null ? "Pending" : s.phase().name());
    fact("Progress", s == null || s.progress() == null ? "" : s.progress());
    fact("Grid size", s == null || s.gridSize() == null ? "" : Long.toString(s.gridSize()));
    fact("Parallelism", String.valueOf(search.getSpec().parallelism()));
    fact("Records", Long.toString(d.records));
    ResultRecord best = d.leaderboard().isEmpty() ? null : d.leaderboard().get(0);
    if (best != null) {
      fact(
          "Best " + d.info.metric(),
          Numbers.shortly(TrialColumns.metric(best, d.info.metric()))
              + " (trial "
              + best.trial()
              + ")");
      fact("Best parameters", params(best));
    } else {
      fact("Best " + d.info.metric(), "no trial has succeeded");
    }
    Long t0 = s == null ? null : ReportData.epoch(s.startTime());
    Long t1 = s == null ? null : ReportData.epoch(s.completionTime());
    if (t0 != null) {
      fact("Started", s.startTime());
    }
    if (t0 != null && t1 != null) {
      fact("Wall time", Numbers.duration(Duration.ofMillis(t1 - t0)));
    }
    if (d.starts.size() > 0) {
      fact("Trial time", Numbers.seconds(d.trialSeconds) + " in all");
      fact("Mean trial", Numbers.seconds(d.trialSeconds / d.starts.size()));
    }
    if (best != null && t0 != null) {
      Long bf = ReportData.epoch(best.finishTime());
      if (bf != null) {
        fact("Time to best", Numbers.duration(Duration.ofMillis(Math.max(0, bf - t0))));
      }
    }
    h.append("</dl>\n<p class=\"states\">");
    for (TrialState st : TrialState.values()) {
      long c = d.counts.getOrDefault(st, 0L);
      if (c > 0) {
        h.append("<span class=\"state ")
            .append(st.name())
            .append("\">")
            .append(st.name())
            .append(" ")
            .append(c)
            .append("</span> ");
      }
    }
    h.append("</p>\n</section>\n");
  }

  private void fact(String k, String v) {
    h.append("<div><dt>").append(esc(k)).append("</dt><dd>").append(esc(v)).append("</dd></div>");
  }

  private String params(ResultRecord r) {
    List<String> out = new ArrayList<>();
    for (String p : d.info.parameters()) {
      out.add(p + "=" + (r.parameters() == null ? "" : r.parameters().get(p)));
    }
    return String.join(", ", out);
  }

  // ---------------------------------------------------------------- leaderboard

  private void leaderboard() {
    section("leaderboard", "Leaderboard");
    List<ResultRecord> rows = d.leaderboard();
    if (rows.isEmpty()) {
      h.append("<p class=\"empty\">No trial has a value of ")
          .append(esc(d.info.metric()))
          .append(" yet.</p></section>\n");
      return;
    }
    h.append("<p class=\"note\">The best ")
        .append(rows.size())
        .append(" trials by ")
        .append(esc(d.info.metric()))
        .append("; click a column to sort.</p>\n");
    TrialColumns cols = TrialColumns.of(d.info, d.metricNames);
    h.append(
        "<table class=\"sortable\" id=\"leaderboard-table\"><thead><tr><th>rank</th><th>trial</th>");
    cols.parameters().forEach(p -> h.append("<th>").append(esc(p)).append("</th>"));
    cols.metrics().forEach(m -> h.append("<th>").append(esc(m)).append("</th>"));
    h.append("<th>duration</th></tr></thead>\n<tbody>\n");
    int rank = 0;
    for (ResultRecord r : rows) {
      rank++;
      h.append("<tr><td class=\"num\">")
          .append(rank)
          .append("</td><td class=\"num\">")
          .append(r.trial())
          .append("</td>");
      for (String p : cols.parameters()) {
        h.append("<td>")
            .append(esc(r.parameters() == null ? "" : r.parameters().get(p)))
            .append("</td>");
      }
      for (String m : cols.metrics()) {
        Double v = TrialColumns.metric(r, m);
        h.append("<td class=\"num\" data-sort=\"")
            .append(v == null ? "" : Numbers.exactly(v))
            .append("\">")
            .append(Numbers.shortly(v))
            .append("</td>");
      }
      double sec = ResultRecord.seconds(r);
      h.append("<td class=\"num\" data-sort=\"")
          .append(Numbers.exactly(sec))
          .append("\">")
          .append(r.startTime() == null ? "" : Numbers.seconds(sec))
          .append("</td></tr>\n");
    }
    h.append("</tbody></table>\n</section>\n");
  }

  // ---------------------------------------------------------------- points

  private void pointLeaderboard() {
    section("leaderboard", "Leaderboard");
    List<PointRecord> rows = d.pointLeaderboard();
    var layout = d.info.layout();
    h.append("<p class=\"note\">Points, each ")
        .append(layout.repeats())
        .append(" repeats × ")
        .append(layout.folds())
        .append(" folds; ranked by the ")
        .append(d.info.aggregate())
        .append(" of ")
        .append(esc(d.info.metric()))
        .append(" as the operator aggregated it (ties share a rank). ");
    d.pointCounts.forEach((st, c) -> h.append(st.name()).append(": ").append(c).append(". "));
    h.append("</p>\n");
    if (rows.isEmpty()) {
      h.append("<p class=\"empty\">No point is ranked yet.</p></section>\n");
      return;
    }
    Map<Long, Integer> ranks = d.pointRanks();
    h.append(
        "<table class=\"sortable\" id=\"leaderboard-table\"><thead><tr><th>rank</th><th>point</th>");
    d.info.parameters().forEach(p -> h.append("<th>").append(esc(p)).append("</th>"));
    h.append("<th>")
        .append(esc(d.info.metric()))
        .append(" ")
        .append(d.info.aggregate())
        .append("</th><th>± std</th><th>n</th>");
    List<String> others = new ArrayList<>(d.metricNames);
    others.remove(d.info.metric());
    others.forEach(m -> h.append("<th>").append(esc(m)).append(" mean</th>"));
    h.append("<th>mean duration</th></tr></thead>\n<tbody>\n");
    for (PointRecord p : rows) {
      MetricStats st = p.stats(d.info.metric());
      h.append("<tr><td class=\"num\">")
          .append(ranks.get(p.point()))
          .append("</td><td class=\"num\">")
          .append(p.point())
          .append("</td>");
      for (String q : d.info.parameters()) {
        h.append("<td>").append(esc(p.params().get(q))).append("</td>");
      }
      h.append("<td class=\"num\" data-sort=\"")
          .append(Numbers.exactly(p.value()))
          .append("\">")
          .append(Numbers.shortly(p.value()))
          .append("</td><td class=\"num\">")
          .append(st == null ? "" : "± " + Numbers.shortly(st.std()))
          .append("</td><td class=\"num\">")
          .append(st == null ? 0 : st.n())
          .append("</td>");
      for (String m : others) {
        MetricStats o = p.metrics().get(m);
        h.append("<td class=\"num\">")
            .append(o == null ? "" : Numbers.shortly(o.mean()))
            .append("</td>");
      }
      h.append("<td class=\"num\">")
          .append(p.meanTrialSeconds() == null ? "" : Numbers.seconds(p.meanTrialSeconds()))
          .append("</td></tr>\n");
    }
    h.append("</tbody></table>\n</section>\n");
  }

  /** Each leading point's splits as dots, with its mean ± std: is the ranking beyond the noise? */
  private void variance() {
    section("variance", "Variance across repeats and folds");
    List<PointRecord> rows = d.pointLeaderboard();
    if (rows.isEmpty()) {
      h.append("<p class=\"empty\">No point is ranked yet.</p></section>\n");
      return;
    }
    String m = d.info.metric();
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (PointRecord p : rows) {
      for (double v : p.splits().getOrDefault(m, new java.util.TreeMap<>()).values()) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    if (lo > hi) {
      h.append("<p class=\"empty\">No splits recorded.</p></section>\n");
      return;
    }
    if (hi == lo) {
      hi = lo + 1;
    }
    h.append("<p class=\"note\">The best ")
        .append(rows.size())
        .append(" points: each dot is one trial's ")
        .append(esc(m))
        .append(
            " (a repeat and fold), the bar the mean ± one standard deviation. Overlapping bars:"
                + " the order between those points is within the noise.</p>\n");
    int left = 16 + 7 * 12;
    int rowH = 20;
    int plotW = 560;
    int top = 8;
    int ht = top + rowH * rows.size() + 30;
    h.append("<svg class=\"variance\" width=\"")
        .append(left + plotW + 30)
        .append("\" height=\"")
        .append(ht)
        .append("\" role=\"img\">");
    for (int k = 0; k < rows.size(); k++) {
      PointRecord p = rows.get(k);
      MetricStats st = p.stats(m);
      double y = top + rowH * k + rowH / 2.0;
      h.append("<text class=\"tick\" x=\"")
          .append(left - 6)
          .append("\" y=\"")
          .append(n(y + 4))
          .append("\" text-anchor=\"end\">point ")
          .append(p.point())
          .append("</text>");
      if (st != null) {
        double x1 = left + plotW * (st.mean() - st.std() - lo) / (hi - lo);
        double x2 = left + plotW * (st.mean() + st.std() - lo) / (hi - lo);
        double xm = left + plotW * (st.mean() - lo) / (hi - lo);
        h.append("<line class=\"sd\" x1=\"")
            .append(n(Math.max(left, x1)))
            .append("\" y1=\"")
            .append(n(y))
            .append("\" x2=\"")
            .append(n(Math.min(left + plotW, x2)))
            .append("\" y2=\"")
            .append(n(y))
            .append("\"/><circle class=\"mean\" cx=\"")
            .append(n(xm))
            .append("\" cy=\"")
            .append(n(y))
            .append("\" r=\"4\" data-tip=\"point ")
            .append(p.point())
            .append(" (")
            .append(esc(params(p.params())))
            .append("): mean ")
            .append(Numbers.shortly(st.mean()))
            .append(" ± ")
            .append(Numbers.shortly(st.std()))
            .append(", n=")
            .append(st.n())
            .append("\"/>");
      }
      for (var e : p.splits().getOrDefault(m, new java.util.TreeMap<>()).entrySet()) {
        h.append("<circle class=\"split\" cx=\"")
            .append(n(left + plotW * (e.getValue() - lo) / (hi - lo)))
            .append("\" cy=\"")
            .append(n(y))
            .append("\" r=\"2.5\" data-tip=\"point ")
            .append(p.point())
            .append(", split ")
            .append(e.getKey())
            .append(": ")
            .append(Numbers.shortly(e.getValue()))
            .append("\"/>");
      }
    }
    axisX(left, top + rowH * rows.size(), plotW, lo, hi);
    h.append("</svg>\n</section>\n");
  }

  private String params(Map<String, String> values) {
    List<String> out = new ArrayList<>();
    for (String p : d.info.parameters()) {
      out.add(p + "=" + (values == null ? "" : values.get(p)));
    }
    return String.join(", ", out);
  }

  // ---------------------------------------------------------------- heatmaps

  private void heatmaps() {
    section("heatmaps", "Heatmaps");
    List<Heatmap> maps = d.heatmaps();
    if (d.axisValues.size() == 1) {
      String p = d.axisValues.keySet().iterator().next();
      h.append("<p class=\"note\">One parameter: ")
          .append(esc(d.info.metric()))
          .append(" by ")
          .append(esc(p))
          .append(" (the best trial per value).</p>\n");
      double[][] m = d.marginals.get(p);
      Double[][] cells = new Double[1][m.length];
      long[][] counts = new long[1][m.length];
      for (int i = 0; i < m.length; i++) {
        cells[0][i] = m[i][0] == 0 ? null : m[i][3];
        counts[0][i] = (long) m[i][0];
      }
      heatmap(p, "", d.axisValues.get(p), List.of(""), cells, counts, "best");
    } else if (maps.isEmpty()) {
      h.append("<p class=\"empty\">No parameter pair to show (axes over ")
          .append(Heatmap.MAX_AXIS_VALUES)
          .append(" values are left out).</p>\n");
    } else {
      h.append("<p class=\"note\">")
          .append(esc(d.info.metric()))
          .append(" over pairs of the most important parameters; each cell is the ")
          .append(maps.get(0).reduce() == dev.gridsearch.cli.view.Reduce.max ? "highest" : "lowest")
          .append(" value over the other parameters")
          .append(
              d.info.hasPoints()
                  ? ", each point counted by its " + d.info.aggregate() + " over repeats and folds"
                  : "")
          .append(". Grey: no record.</p>\n<div class=\"row\">");
      for (Heatmap m : maps) {
        Double[][] cells = new Double[m.ys().size()][m.xs().size()];
        long[][] counts = new long[m.ys().size()][m.xs().size()];
        for (int j = 0; j < m.ys().size(); j++) {
          for (int i = 0; i < m.xs().size(); i++) {
            cells[j][i] = m.cell(j, i);
            counts[j][i] = m.count(j, i);
          }
        }
        heatmap(m.x(), m.y(), m.xs(), m.ys(), cells, counts, m.reduce().name());
      }
      h.append("</div>");
    }
    h.append("</section>\n");
  }

  private void heatmap(
      String x,
      String y,
      List<String> xs,
      List<String> ys,
      Double[][] cells,
      long[][] counts,
      String reduce) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (Double[] row : cells) {
      for (Double v : row) {
        if (v != null) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
    }
    int cs = Math.max(12, Math.min(44, 440 / Math.max(xs.size(), ys.size())));
    int labelW = 12 + 7 * ys.stream().mapToInt(String::length).max().orElse(1);
    int left = y.isEmpty() ? 20 : labelW + 18;
    int top = 44;
    int w = left + cs * xs.size() + 20;
    int legendY = top + cs * ys.size() + 16;
    int ht = legendY + 40;
    String id = "hm-" + (y.isEmpty() ? x : y + "-" + x);
    h.append("<figure><svg class=\"heatmap\" id=\"")
        .append(esc(id))
        .append("\" data-x=\"")
        .append(esc(x))
        .append("\" data-y=\"")
        .append(esc(y))
        .append("\" width=\"")
        .append(Math.max(w, 240))
        .append("\" height=\"")
        .append(ht)
        .append("\" viewBox=\"0 0 ")
        .append(Math.max(w, 240))
        .append(" ")
        .append(ht)
        .append("\" role=\"img\">");
    h.append("<text class=\"axis-title\" x=\"")
        .append(left + cs * xs.size() / 2)
        .append("\" y=\"14\" text-anchor=\"middle\">")
        .append(esc(x))
        .append("</text>");
    if (!y.isEmpty()) {
      h.append("<text class=\"axis-title\" transform=\"rotate(-90)\" x=\"")
          .append(-(top + cs * ys.size() / 2))
          .append("\" y=\"12\" text-anchor=\"middle\">")
          .append(esc(y))
          .append("</text>");
    }
    int every = Math.max(1, (int) Math.ceil(30.0 / cs));
    for (int i = 0; i < xs.size(); i += every) {
      h.append("<text class=\"tick\" x=\"")
          .append(left + cs * i + cs / 2)
          .append("\" y=\"")
          .append(top - 6)
          .append("\" text-anchor=\"middle\">")
          .append(esc(xs.get(i)))
          .append("</text>");
    }
    int everyY = Math.max(1, (int) Math.ceil(14.0 / cs));
    for (int j = 0; j < ys.size() && !y.isEmpty(); j += everyY) {
      h.append("<text class=\"tick\" x=\"")
          .append(left - 6)
          .append("\" y=\"")
          .append(top + cs * j + cs / 2 + 4)
          .append("\" text-anchor=\"end\">")
          .append(esc(ys.get(j)))
          .append("</text>");
    }
    boolean maximize = d.info.maximize();
    for (int j = 0; j < ys.size(); j++) {
      for (int i = 0; i < xs.size(); i++) {
        Double v = cells[j][i];
        String where = (y.isEmpty() ? "" : y + "=" + ys.get(j) + ", ") + x + "=" + xs.get(i);
        h.append("<rect class=\"cell")
            .append(v == null ? " empty" : "")
            .append(v != null && v == (maximize ? hi : lo) ? " best" : "")
            .append("\" x=\"")
            .append(left + cs * i)
            .append("\" y=\"")
            .append(top + cs * j)
            .append("\" width=\"")
            .append(cs - 1)
            .append("\" height=\"")
            .append(cs - 1)
            .append("\" fill=\"")
            .append(v == null ? "#e5e5e5" : Palette.hex(Palette.position(v, lo, hi)))
            .append("\" data-tip=\"")
            .append(esc(where))
            .append(": ")
            .append(
                v == null
                    ? "no record"
                    : esc(d.info.metric())
                        + " "
                        + reduce
                        + " "
                        + Numbers.shortly(v)
                        + " ("
                        + counts[j][i]
                        + " trials)")
            .append("\"/>");
        if (v != null && cs >= 40) {
          double t = Palette.position(v, lo, hi);
          h.append("<text class=\"val\" x=\"")
              .append(left + cs * i + (cs - 1) / 2)
              .append("\" y=\"")
              .append(top + cs * j + cs / 2 + 3)
              .append("\" text-anchor=\"middle\" style=\"fill:")
              .append(Palette.light(t) ? "#111" : "#fff")
              .append("\">")
              .append(esc(Numbers.shortly(v)))
              .append("</text>");
        }
      }
    }
    if (lo <= hi) {
      legend(left, legendY, Math.min(200, Math.max(120, cs * xs.size())), lo, hi, id);
    }
    h.append("</svg><figcaption>")
        .append(esc(d.info.metric()))
        .append(
            y.isEmpty()
                ? " by " + esc(x)
                : " by " + esc(y) + " (rows) and " + esc(x) + " (columns)")
        .append("</figcaption></figure>\n");
  }

  private void legend(int x, int y, int w, double lo, double hi, String id) {
    String gid = "g-" + id;
    h.append("<defs><linearGradient id=\"").append(esc(gid)).append("\">");
    for (int k = 0; k <= 8; k++) {
      h.append("<stop offset=\"")
          .append(k * 100 / 8)
          .append("%\" stop-color=\"")
          .append(Palette.hex(k / 8.0))
          .append("\"/>");
    }
    h.append("</linearGradient></defs><rect class=\"legend\" x=\"")
        .append(x)
        .append("\" y=\"")
        .append(y)
        .append("\" width=\"")
        .append(w)
        .append("\" height=\"10\" fill=\"url(#")
        .append(esc(gid))
        .append(")\"/><text class=\"tick\" x=\"")
        .append(x)
        .append("\" y=\"")
        .append(y + 24)
        .append("\">")
        .append(Numbers.shortly(lo))
        .append("</text><text class=\"tick\" x=\"")
        .append(x + w)
        .append("\" y=\"")
        .append(y + 24)
        .append("\" text-anchor=\"end\">")
        .append(Numbers.shortly(hi))
        .append("</text>");
  }

  // ---------------------------------------------------------------- parallel coordinates

  private void parallel() {
    section("parallel", "Parallel coordinates");
    List<String> axes = new ArrayList<>(d.axisValues.keySet());
    List<ResultRecord> lines = d.parallel();
    if (lines.isEmpty() || axes.isEmpty()) {
      h.append("<p class=\"empty\">No trial with a value yet.</p></section>\n");
      return;
    }
    long total = d.parallelTotal();
    h.append("<p class=\"note\">Each line is a trial: its parameter values, then its ")
        .append(esc(d.info.metric()))
        .append(" (colour too). ")
        .append(
            lines.size() < total
                ? "Shown: the best "
                    + ReportData.PARALLEL_BEST
                    + " and a sample of the rest, "
                    + lines.size()
                    + " of "
                    + total
                    + ". "
                : "")
        .append("Hover a line to see it.</p>\n");
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (ResultRecord r : lines) {
      double v = TrialColumns.metric(r, d.info.metric());
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    int left = 60;
    int right = 80;
    int top = 30;
    int plotH = 300;
    int gap = Math.max(110, Math.min(180, 820 / Math.max(1, axes.size())));
    int w = left + gap * axes.size() + right;
    int ht = top + plotH + 40;
    h.append("<svg class=\"parallel\" width=\"")
        .append(w)
        .append("\" height=\"")
        .append(ht)
        .append("\" viewBox=\"0 0 ")
        .append(w)
        .append(" ")
        .append(ht)
        .append("\" role=\"img\"><g class=\"lines\">");
    // Worst first, so the best lines are drawn on top.
    List<ResultRecord> drawOrder = new ArrayList<>(lines);
    java.util.Collections.reverse(drawOrder);
    for (ResultRecord r : drawOrder) {
      double v = TrialColumns.metric(r, d.info.metric());
      StringBuilder path = new StringBuilder();
      for (int a = 0; a < axes.size(); a++) {
        Integer k = d.index(axes.get(a), r);
        int size = d.axisValues.get(axes.get(a)).size();
        double py = top + (size == 1 || k == null ? plotH / 2.0 : plotH * k / (double) (size - 1));
        path.append(a == 0 ? "M" : "L").append(left + gap * a).append(' ').append(n(py));
      }
      double t = Palette.position(v, lo, hi);
      double vy = top + plotH * (1 - t);
      path.append("L").append(left + gap * axes.size()).append(' ').append(n(vy));
      h.append("<path class=\"line\" d=\"")
          .append(path)
          .append("\" stroke=\"")
          .append(Palette.hex(t))
          .append("\" data-tip=\"trial ")
          .append(r.trial())
          .append(": ")
          .append(esc(params(r)))
          .append(" → ")
          .append(esc(d.info.metric()))
          .append(" ")
          .append(Numbers.shortly(v))
          .append("\"/>");
    }
    h.append("</g>");
    for (int a = 0; a <= axes.size(); a++) {
      int ax = left + gap * a;
      h.append("<line class=\"axis\" x1=\"")
          .append(ax)
          .append("\" y1=\"")
          .append(top)
          .append("\" x2=\"")
          .append(ax)
          .append("\" y2=\"")
          .append(top + plotH)
          .append("\"/><text class=\"axis-title\" x=\"")
          .append(ax)
          .append("\" y=\"")
          .append(top - 12)
          .append("\" text-anchor=\"middle\">")
          .append(esc(a < axes.size() ? axes.get(a) : d.info.metric()))
          .append("</text>");
      if (a < axes.size()) {
        List<String> vs = d.axisValues.get(axes.get(a));
        int every = Math.max(1, (int) Math.ceil(vs.size() * 14.0 / plotH));
        for (int k = 0; k < vs.size(); k += every) {
          double py = top + (vs.size() == 1 ? plotH / 2.0 : plotH * k / (double) (vs.size() - 1));
          h.append("<text class=\"tick\" x=\"")
              .append(ax - 5)
              .append("\" y=\"")
              .append(n(py + 4))
              .append("\" text-anchor=\"end\">")
              .append(esc(vs.get(k)))
              .append("</text>");
        }
      } else {
        h.append("<text class=\"tick\" x=\"")
            .append(ax + 5)
            .append("\" y=\"")
            .append(top + 4)
            .append("\">")
            .append(Numbers.shortly(hi))
            .append("</text><text class=\"tick\" x=\"")
            .append(ax + 5)
            .append("\" y=\"")
            .append(top + plotH + 4)
            .append("\">")
            .append(Numbers.shortly(lo))
            .append("</text>");
      }
    }
    h.append("</svg>\n</section>\n");
  }

  // ---------------------------------------------------------------- distribution

  private void distribution() {
    section("distribution", "Distribution of " + d.info.metric());
    double[] v = d.values.toArray();
    if (v.length == 0) {
      h.append("<p class=\"empty\">No values yet.</p></section>\n");
      return;
    }
    Arrays.sort(v);
    double lo = v[0];
    double hi = v[v.length - 1];
    int bins = Math.max(1, Math.min(30, (int) Math.ceil(Math.sqrt(v.length))));
    if (hi == lo) {
      bins = 1;
    }
    long[] count = new long[bins];
    for (double x : v) {
      int b = hi == lo ? 0 : Math.min(bins - 1, (int) ((x - lo) / (hi - lo) * bins));
      count[b]++;
    }
    long max = Arrays.stream(count).max().orElse(1);
    double median =
        v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    double mean = Arrays.stream(v).sum() / v.length;
    h.append("<p class=\"note\">")
        .append(v.length)
        .append(" values: min ")
        .append(Numbers.shortly(lo))
        .append(", median ")
        .append(Numbers.shortly(median))
        .append(", mean ")
        .append(Numbers.shortly(mean))
        .append(", max ")
        .append(Numbers.shortly(hi))
        .append(".</p>\n");
    int left = 50;
    int top = 10;
    int plotW = 640;
    int plotH = 200;
    h.append("<svg class=\"histogram\" width=\"")
        .append(left + plotW + 20)
        .append("\" height=\"")
        .append(top + plotH + 40)
        .append("\" role=\"img\">");
    double bw = plotW / (double) bins;
    for (int b = 0; b < bins; b++) {
      double bh = plotH * count[b] / (double) max;
      double from = lo + (hi - lo) * b / bins;
      double to = lo + (hi - lo) * (b + 1) / bins;
      h.append("<rect class=\"bar\" x=\"")
          .append(n(left + bw * b + 1))
          .append("\" y=\"")
          .append(n(top + plotH - bh))
          .append("\" width=\"")
          .append(n(Math.max(1, bw - 2)))
          .append("\" height=\"")
          .append(n(bh))
          .append("\" fill=\"")
          .append(Palette.hex((b + 0.5) / bins))
          .append("\" data-tip=\"")
          .append(Numbers.shortly(from))
          .append(" to ")
          .append(Numbers.shortly(to))
          .append(": ")
          .append(count[b])
          .append(" trials\"/>");
    }
    axisX(left, top + plotH, plotW, lo, hi);
    h.append("<text class=\"tick\" x=\"")
        .append(left - 6)
        .append("\" y=\"")
        .append(top + 8)
        .append("\" text-anchor=\"end\">")
        .append(max)
        .append("</text><text class=\"tick\" x=\"")
        .append(left - 6)
        .append("\" y=\"")
        .append(top + plotH)
        .append("\" text-anchor=\"end\">0</text></svg>\n</section>\n");
  }

  private void axisX(int left, int y, int w, double lo, double hi) {
    h.append("<line class=\"axis\" x1=\"")
        .append(left)
        .append("\" y1=\"")
        .append(y)
        .append("\" x2=\"")
        .append(left + w)
        .append("\" y2=\"")
        .append(y)
        .append("\"/>");
    for (int k = 0; k <= 4; k++) {
      h.append("<text class=\"tick\" x=\"")
          .append(left + w * k / 4)
          .append("\" y=\"")
          .append(y + 16)
          .append("\" text-anchor=\"middle\">")
          .append(Numbers.shortly(lo + (hi - lo) * k / 4))
          .append("</text>");
    }
  }

  // ---------------------------------------------------------------- importance

  private void importance() {
    section("importance", "Parameter importance and marginal effects");
    Map<String, Double> imp = d.importance();
    if (imp.isEmpty() || d.values.size() == 0) {
      h.append("<p class=\"empty\">No values yet.</p></section>\n");
      return;
    }
    h.append("<p class=\"note\">Importance: the share of the variance of ")
        .append(esc(d.info.metric()))
        .append(
            " that a parameter's values explain on their own (η², between-value sum of squares"
                + " over the total). Below, each parameter's marginal effect: the mean over the"
                + " other parameters (dots, ± one standard deviation) and the best (diamonds).</p>\n");
    int left = 12 + 7 * imp.keySet().stream().mapToInt(String::length).max().orElse(4);
    int rowH = 22;
    h.append("<svg class=\"importance\" width=\"")
        .append(left + 420)
        .append("\" height=\"")
        .append(rowH * imp.size() + 10)
        .append("\" role=\"img\">");
    int row = 0;
    for (var e : imp.entrySet()) {
      double bw = 340 * e.getValue();
      int y = 5 + rowH * row++;
      h.append("<text class=\"tick\" x=\"")
          .append(left - 6)
          .append("\" y=\"")
          .append(y + 14)
          .append("\" text-anchor=\"end\">")
          .append(esc(e.getKey()))
          .append("</text><rect class=\"importance-bar\" data-parameter=\"")
          .append(esc(e.getKey()))
          .append("\" x=\"")
          .append(left)
          .append("\" y=\"")
          .append(y)
          .append("\" width=\"")
          .append(n(Math.max(1, bw)))
          .append("\" height=\"")
          .append(rowH - 6)
          .append("\" fill=\"")
          .append(Palette.hex(0.35))
          .append("\" data-tip=\"")
          .append(esc(e.getKey()))
          .append(": η² ")
          .append(Numbers.shortly(e.getValue()))
          .append("\"/><text class=\"tick\" x=\"")
          .append(n(left + Math.max(1, bw) + 6))
          .append("\" y=\"")
          .append(y + 14)
          .append("\">")
          .append(String.format(java.util.Locale.ROOT, "%.0f%%", 100 * e.getValue()))
          .append("</text>");
    }
    h.append("</svg>\n<div class=\"row\">");
    for (String p : imp.keySet()) {
      marginal(p);
    }
    h.append("</div></section>\n");
  }

  private void marginal(String p) {
    double[][] m = d.marginals.get(p);
    List<String> vs = d.axisValues.get(p);
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double[] c : m) {
      if (c[0] > 0) {
        double mean = c[1] / c[0];
        double sd = Math.sqrt(Math.max(0, c[2] / c[0] - mean * mean));
        lo = Math.min(lo, Math.min(mean - sd, c[3]));
        hi = Math.max(hi, Math.max(mean + sd, c[3]));
      }
    }
    if (lo > hi) {
      return;
    }
    if (hi == lo) {
      hi = lo + 1;
    }
    int left = 50;
    int top = 10;
    int plotW = Math.max(160, Math.min(420, 28 * vs.size()));
    int plotH = 140;
    double step = plotW / (double) vs.size();
    h.append("<figure><svg class=\"marginal\" data-parameter=\"")
        .append(esc(p))
        .append("\" width=\"")
        .append(left + plotW + 10)
        .append("\" height=\"")
        .append(top + plotH + 36)
        .append("\" role=\"img\">");
    h.append("<line class=\"axis\" x1=\"")
        .append(left)
        .append("\" y1=\"")
        .append(top + plotH)
        .append("\" x2=\"")
        .append(left + plotW)
        .append("\" y2=\"")
        .append(top + plotH)
        .append("\"/>");
    StringBuilder meanPath = new StringBuilder();
    int every = Math.max(1, (int) Math.ceil(30 / step));
    for (int k = 0; k < vs.size(); k++) {
      double x = left + step * (k + 0.5);
      if (k % every == 0) {
        h.append("<text class=\"tick\" x=\"")
            .append(n(x))
            .append("\" y=\"")
            .append(top + plotH + 14)
            .append("\" text-anchor=\"middle\">")
            .append(esc(vs.get(k)))
            .append("</text>");
      }
      double[] c = m[k];
      if (c[0] == 0) {
        continue;
      }
      double mean = c[1] / c[0];
      double sd = Math.sqrt(Math.max(0, c[2] / c[0] - mean * mean));
      double ym = top + plotH * (hi - mean) / (hi - lo);
      double y1 = top + plotH * (hi - (mean + sd)) / (hi - lo);
      double y2 = top + plotH * (hi - (mean - sd)) / (hi - lo);
      double yb = top + plotH * (hi - c[3]) / (hi - lo);
      meanPath.append(meanPath.length() == 0 ? "M" : "L").append(n(x)).append(' ').append(n(ym));
      h.append("<line class=\"sd\" x1=\"")
          .append(n(x))
          .append("\" y1=\"")
          .append(n(y1))
          .append("\" x2=\"")
          .append(n(x))
          .append("\" y2=\"")
          .append(n(y2))
          .append("\"/><circle class=\"mean\" cx=\"")
          .append(n(x))
          .append("\" cy=\"")
          .append(n(ym))
          .append("\" r=\"3.5\" data-tip=\"")
          .append(esc(p + "=" + vs.get(k)))
          .append(": mean ")
          .append(Numbers.shortly(mean))
          .append(" ± ")
          .append(Numbers.shortly(sd))
          .append(", best ")
          .append(Numbers.shortly(c[3]))
          .append(" (")
          .append((long) c[0])
          .append(" trials)\"/><path class=\"best\" d=\"M")
          .append(n(x))
          .append(' ')
          .append(n(yb - 4))
          .append("l4 4l-4 4l-4 -4z\"/>");
    }
    if (meanPath.length() > 0) {
      h.append("<path class=\"mean-line\" d=\"").append(meanPath).append("\"/>");
    }
    h.append("<text class=\"tick\" x=\"")
        .append(left - 4)
        .append("\" y=\"")
        .append(top + 8)
        .append("\" text-anchor=\"end\">")
        .append(Numbers.shortly(hi))
        .append("</text><text class=\"tick\" x=\"")
        .append(left - 4)
        .append("\" y=\"")
        .append(top + plotH)
        .append("\" text-anchor=\"end\">")
        .append(Numbers.shortly(lo))
        .append("</text>");
    h.append("<text class=\"axis-title\" x=\"")
        .append(left + plotW / 2)
        .append("\" y=\"")
        .append(top + plotH + 32)
        .append("\" text-anchor=\"middle\">")
        .append(esc(p))
        .append("</text></svg></figure>");
  }

  // ---------------------------------------------------------------- timeline

  private void timeline() {
    section("timeline", "Timeline");
    int n = d.starts.size();
    if (n == 0) {
      h.append("<p class=\"empty\">No trial has finished yet.</p></section>\n");
      return;
    }
    long[] s = new long[n];
    long[] f = new long[n];
    for (int i = 0; i < n; i++) {
      s[i] = d.starts.get(i);
      f[i] = d.finishes.get(i);
    }
    long[] sortedS = s.clone();
    long[] sortedF = f.clone();
    Arrays.sort(sortedS);
    Arrays.sort(sortedF);
    long t0 = sortedS[0];
    long t1 = Math.max(sortedF[n - 1], t0 + 1);
    int buckets = 240;
    int left = 50;
    int top = 14;
    int plotW = 720;
    int plotH = 160;
    long peak = 0;
    long[] running = new long[buckets + 1];
    long[] started = new long[buckets + 1];
    long[] finished = new long[buckets + 1];
    for (int b = 0; b <= buckets; b++) {
      long t = t0 + (t1 - t0) * b / buckets;
      started[b] = upper(sortedS, t);
      finished[b] = upper(sortedF, t);
      running[b] = started[b] - finished[b];
      peak = Math.max(peak, running[b]);
    }
    h.append("<p class=\"note\">")
        .append(n)
        .append(" trials from ")
        .append(Instant.ofEpochMilli(t0))
        .append(" over ")
        .append(Numbers.duration(Duration.ofMillis(t1 - t0)))
        .append("; at most ")
        .append(peak)
        .append(" ran at once (parallelism ")
        .append(search.getSpec().parallelism())
        .append(").</p>\n");
    // Started and finished, cumulative.
    h.append("<svg class=\"timeline\" id=\"timeline-trials\" width=\"")
        .append(left + plotW + 120)
        .append("\" height=\"")
        .append(top + plotH + 30)
        .append("\" role=\"img\">");
    step(started, n, left, top, plotW, plotH, "started");
    step(finished, n, left, top, plotW, plotH, "finished");
    timeAxis(left, top + plotH, plotW, t1 - t0);
    yLabels(left, top, plotH, n);
    h.append("<text class=\"tick started\" x=\"")
        .append(left + plotW + 8)
        .append("\" y=\"")
        .append(top + 10)
        .append("\">started</text><text class=\"tick finished\" x=\"")
        .append(left + plotW + 8)
        .append("\" y=\"")
        .append(top + 26)
        .append("\">finished</text></svg>\n");
    // Concurrency.
    int cH = 90;
    h.append("<svg class=\"timeline\" id=\"timeline-concurrency\" width=\"")
        .append(left + plotW + 120)
        .append("\" height=\"")
        .append(top + cH + 30)
        .append("\" role=\"img\">");
    step(running, Math.max(1, peak), left, top, plotW, cH, "running");
    timeAxis(left, top + cH, plotW, t1 - t0);
    yLabels(left, top, cH, Math.max(1, peak));
    h.append("<text class=\"tick running\" x=\"")
        .append(left + plotW + 8)
        .append("\" y=\"")
        .append(top + 10)
        .append("\">running</text></svg>\n");
    bestSoFar(f, t0, t1, left, top, plotW);
    h.append("</section>\n");
  }

  /** Time to best: the best value so far against the time trials finished. */
  private void bestSoFar(long[] f, long t0, long t1, int left, int top, int plotW) {
    int n = f.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Long.compare(f[a], f[b]));
    List<double[]> steps = new ArrayList<>();
    Double best = null;
    for (int i : order) {
      double v = d.timedValues.get(i);
      if (Double.isNaN(v)) {
        continue;
      }
      if (best == null || (d.info.maximize() ? v > best : v < best)) {
        best = v;
        steps.add(new double[] {f[i], v});
      }
    }
    if (steps.isEmpty()) {
      return;
    }
    double lo = steps.stream().mapToDouble(x -> x[1]).min().orElse(0);
    double hi = steps.stream().mapToDouble(x -> x[1]).max().orElse(1);
    if (hi == lo) {
      hi = lo + Math.max(1e-9, Math.abs(lo) * 0.01);
      lo = lo - (hi - lo);
    }
    int plotH = 110;
    h.append("<h3>Best ")
        .append(esc(d.info.metric()))
        .append(" so far</h3><svg class=\"timeline\" id=\"timeline-best\" width=\"")
        .append(left + plotW + 120)
        .append("\" height=\"")
        .append(top + plotH + 30)
        .append("\" role=\"img\"><path class=\"best-line\" d=\"");
    for (int k = 0; k < steps.size(); k++) {
      double x = left + plotW * (steps.get(k)[0] - t0) / (double) (t1 - t0);
      double y = top + plotH * (hi - steps.get(k)[1]) / (hi - lo);
      if (k == 0) {
        h.append("M").append(n(x)).append(' ').append(n(y));
      } else {
        h.append("H").append(n(x)).append("V").append(n(y));
      }
    }
    h.append("H").append(left + plotW).append("\"/>");
    double[] last = steps.get(steps.size() - 1);
    double bx = left + plotW * (last[0] - t0) / (double) (t1 - t0);
    h.append("<circle class=\"best-point\" cx=\"")
        .append(n(bx))
        .append("\" cy=\"")
        .append(n(top + plotH * (hi - last[1]) / (hi - lo)))
        .append("\" r=\"4\" data-tip=\"best ")
        .append(Numbers.shortly(last[1]))
        .append(" after ")
        .append(Numbers.duration(Duration.ofMillis((long) last[0] - t0)))
        .append("\"/>");
    timeAxis(left, top + plotH, plotW, t1 - t0);
    h.append("<text class=\"tick\" x=\"")
        .append(left - 4)
        .append("\" y=\"")
        .append(top + 8)
        .append("\" text-anchor=\"end\">")
        .append(Numbers.shortly(hi))
        .append("</text><text class=\"tick\" x=\"")
        .append(left - 4)
        .append("\" y=\"")
        .append(top + plotH)
        .append("\" text-anchor=\"end\">")
        .append(Numbers.shortly(lo))
        .append("</text><text class=\"tick\" x=\"")
        .append(left + plotW + 8)
        .append("\" y=\"")
        .append(top + 10)
        .append("\">time to best ")
        .append(Numbers.duration(Duration.ofMillis((long) last[0] - t0)))
        .append("</text></svg>\n");
  }

  private static int upper(long[] sorted, long t) {
    int i = Arrays.binarySearch(sorted, t);
    if (i < 0) {
      return -i - 1;
    }
    while (i < sorted.length && sorted[i] <= t) {
      i++;
    }
    return i;
  }

  private void step(long[] ys, long max, int left, int top, int w, int ht, String cls) {
    h.append("<path class=\"").append(cls).append("\" d=\"");
    int b = ys.length - 1;
    for (int k = 0; k <= b; k++) {
      double x = left + w * k / (double) b;
      double y = top + ht * (1 - ys[k] / (double) max);
      if (k == 0) {
        h.append("M").append(n(x)).append(' ').append(n(y));
      } else {
        h.append("H").append(n(x)).append("V").append(n(y));
      }
    }
    h.append("\"/>");
  }

  private void timeAxis(int left, int y, int w, long spanMillis) {
    h.append("<line class=\"axis\" x1=\"")
        .append(left)
        .append("\" y1=\"")
        .append(y)
        .append("\" x2=\"")
        .append(left + w)
        .append("\" y2=\"")
        .append(y)
        .append("\"/>");
    for (int k = 0; k <= 4; k++) {
      h.append("<text class=\"tick\" x=\"")
          .append(left + w * k / 4)
          .append("\" y=\"")
          .append(y + 16)
          .append("\" text-anchor=\"middle\">")
          .append(k == 0 ? "0s" : "+" + Numbers.duration(Duration.ofMillis(spanMillis * k / 4)))
          .append("</text>");
    }
  }

  private void yLabels(int left, int top, int ht, long max) {
    h.append("<text class=\"tick\" x=\"")
        .append(left - 4)
        .append("\" y=\"")
        .append(top + 8)
        .append("\" text-anchor=\"end\">")
        .append(max)
        .append("</text><text class=\"tick\" x=\"")
        .append(left - 4)
        .append("\" y=\"")
        .append(top + ht)
        .append("\" text-anchor=\"end\">0</text>");
  }

  // ---------------------------------------------------------------- failures

  private void failures() {
    section("failures", "Failures");
    if (d.failed == 0) {
      h.append("<p class=\"empty\">No trial failed.</p></section>\n");
      return;
    }
    h.append("<p class=\"note\">")
        .append(d.failed)
        .append(" trials failed (Failed or MetricsMissing)")
        .append(
            d.failed > d.failures.size()
                ? "; the first "
                    + d.failures.size()
                    + " are shown (all: kubectl gridsearch results "
                    + esc(d.info.name())
                    + " --state Failed,MetricsMissing)"
                : "")
        .append(".</p>\n<table class=\"sortable\" id=\"failures-table\"><thead><tr><th>trial</th>");
    d.info.parameters().forEach(p -> h.append("<th>").append(esc(p)).append("</th>"));
    h.append("<th>state</th><th>reason</th><th>message</th></tr></thead>\n<tbody>\n");
    for (ResultRecord r : d.failures) {
      h.append("<tr><td class=\"num\">").append(r.trial()).append("</td>");
      for (String p : d.info.parameters()) {
        h.append("<td>")
            .append(esc(r.parameters() == null ? "" : r.parameters().get(p)))
            .append("</td>");
      }
      String msg = r.message() == null ? "" : r.message();
      if (msg.length() > 300) {
        msg = "…" + msg.substring(msg.length() - 299);
      }
      h.append("<td>")
          .append(r.state())
          .append("</td><td>")
          .append(esc(r.reason()))
          .append("</td><td><pre>")
          .append(esc(msg))
          .append("</pre></td></tr>\n");
    }
    h.append("</tbody></table>\n</section>\n");
  }

  // ----------------------------------------------------------------

  private void section(String id, String title) {
    h.append("<section id=\"").append(id).append("\"><h2>").append(esc(title)).append("</h2>\n");
  }

  private static String resource(String name) {
    try (InputStream in = HtmlReport.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
