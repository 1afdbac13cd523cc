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
  private final Markup el = new Markup(h);

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
    // With repeats or folds the best is a point, as the leaderboard and the status rank them.
    ResultRecord best =
        d.info.hasPoints() || d.leaderboard().isEmpty() ? null : d.leaderboard().get(0);
    List<PointRecord> points = d.pointLeaderboard();
    if (d.info.hasPoints() && !points.isEmpty()) {
      PointRecord p = points.get(0);
      MetricStats st = p.stats(d.info.metric());
      fact(
          "Best " + scoredAs(),
          Numbers.shortly(p.value())
              + (st == null ? "" : " ± " + Numbers.shortly(st.std()) + ", n=" + st.n())
              + " (point "
              + p.point()
              + ")");
      fact("Best parameters", params(p.params()));
    } else if (d.info.hasPoints()) {
      fact("Best " + scoredAs(), "no point is ranked yet");
    } else if (best != null) {
      fact(
          "Best " + d.info.metric(),
          Numbers.shortly(TrialColumns.metric(best, d.info.metric()))
              + " (trial "
              + best.trial()
              + ")");
      fact("Best parameters", params(best.parameters()));
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
        el.element("span", st.name() + " " + c, "class", "state " + st.name());
        h.append(" ");
      }
    }
    h.append("</p>\n</section>\n");
  }

  private void fact(String k, String v) {
    h.append("<div>");
    el.element("dt", k).element("dd", v);
    h.append("</div>");
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
    cols.parameters().forEach(p -> el.element("th", p));
    cols.metrics().forEach(m -> el.element("th", m));
    h.append("<th>duration</th></tr></thead>\n<tbody>\n");
    int rank = 0;
    for (ResultRecord r : rows) {
      rank++;
      h.append("<tr>");
      num(rank, null);
      num(r.trial(), null);
      parameterCells(cols.parameters(), r.parameters());
      for (String m : cols.metrics()) {
        Double v = TrialColumns.metric(r, m);
        num(Numbers.shortly(v), v == null ? "" : Numbers.exactly(v));
      }
      double sec = ResultRecord.seconds(r);
      num(r.startTime() == null ? "" : Numbers.seconds(sec), Numbers.exactly(sec));
      h.append("</tr>\n");
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
    d.info.parameters().forEach(p -> el.element("th", p));
    el.element("th", d.info.metric() + " " + d.info.aggregate());
    h.append("<th>± std</th><th>n</th>");
    List<String> others = new ArrayList<>(d.metricNames);
    others.remove(d.info.metric());
    others.forEach(m -> el.element("th", m + " mean"));
    h.append("<th>mean duration</th></tr></thead>\n<tbody>\n");
    for (PointRecord p : rows) {
      MetricStats st = p.stats(d.info.metric());
      h.append("<tr>");
      num(String.valueOf(ranks.get(p.point())), null);
      num(p.point(), null);
      parameterCells(d.info.parameters(), p.params());
      num(Numbers.shortly(p.value()), Numbers.exactly(p.value()));
      num(st == null ? "" : "± " + Numbers.shortly(st.std()), null);
      num(st == null ? 0 : st.n(), null);
      for (String m : others) {
        MetricStats o = p.metrics().get(m);
        num(o == null ? "" : Numbers.shortly(o.mean()), null);
      }
      num(p.meanTrialSeconds() == null ? "" : Numbers.seconds(p.meanTrialSeconds()), null);
      h.append("</tr>\n");
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
    el.start("svg", "class", "variance", "width", left + plotW + 30, "height", ht, "role", "img");
    for (int k = 0; k < rows.size(); k++) {
      PointRecord p = rows.get(k);
      MetricStats st = p.stats(m);
      double y = top + rowH * k + rowH / 2.0;
      el.text("tick", left - 6, y + 4, "end", "point " + p.point());
      if (st != null) {
        double x1 = left + plotW * (st.mean() - st.std() - lo) / (hi - lo);
        double x2 = left + plotW * (st.mean() + st.std() - lo) / (hi - lo);
        double xm = left + plotW * (st.mean() - lo) / (hi - lo);
        el.line("sd", Math.max(left, x1), y, Math.min(left + plotW, x2), y)
            .circle(
                "mean",
                xm,
                y,
                "4",
                "point "
                    + p.point()
                    + " ("
                    + params(p.params())
                    + "): mean "
                    + Numbers.shortly(st.mean())
                    + " ± "
                    + Numbers.shortly(st.std())
                    + ", n="
                    + st.n());
      }
      for (var e : p.splits().getOrDefault(m, new java.util.TreeMap<>()).entrySet()) {
        el.circle(
            "split",
            left + plotW * (e.getValue() - lo) / (hi - lo),
            y,
            "2.5",
            "point " + p.point() + ", split " + e.getKey() + ": " + Numbers.shortly(e.getValue()));
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
          .append(" (the best ")
          .append(d.unit)
          .append(" per value).</p>\n");
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
    int width = Math.max(w, 240);
    h.append("<figure>");
    el.start(
            "svg",
            "class",
            "heatmap",
            "id",
            id,
            "data-x",
            x,
            "data-y",
            y,
            "width",
            width,
            "height",
            ht,
            "viewBox",
            "0 0 " + width + " " + ht,
            "role",
            "img")
        .text("axis-title", left + cs * xs.size() / 2, 14, "middle", x);
    if (!y.isEmpty()) {
      el.element(
          "text",
          y,
          "class",
          "axis-title",
          "transform",
          "rotate(-90)",
          "x",
          -(top + cs * ys.size() / 2),
          "y",
          12,
          "text-anchor",
          "middle");
    }
    int every = Math.max(1, (int) Math.ceil(30.0 / cs));
    for (int i = 0; i < xs.size(); i += every) {
      el.text("tick", left + cs * i + cs / 2, top - 6, "middle", xs.get(i));
    }
    int everyY = Math.max(1, (int) Math.ceil(14.0 / cs));
    for (int j = 0; j < ys.size() && !y.isEmpty(); j += everyY) {
      el.text("tick", left - 6, top + cs * j + cs / 2 + 4, "end", ys.get(j));
    }
    boolean maximize = d.info.maximize();
    for (int j = 0; j < ys.size(); j++) {
      for (int i = 0; i < xs.size(); i++) {
        Double v = cells[j][i];
        String where = (y.isEmpty() ? "" : y + "=" + ys.get(j) + ", ") + x + "=" + xs.get(i);
        el.rect(
            "cell"
                + (v == null ? " empty" : "")
                + (v != null && v == (maximize ? hi : lo) ? " best" : ""),
            left + cs * i,
            top + cs * j,
            cs - 1,
            cs - 1,
            v == null ? "#e5e5e5" : Palette.hex(Palette.position(v, lo, hi)),
            where
                + ": "
                + (v == null
                    ? "no record"
                    : d.info.metric()
                        + " "
                        + reduce
                        + " "
                        + Numbers.shortly(v)
                        + " ("
                        + counts[j][i]
                        + " "
                        + d.unit
                        + "s)"));
        if (v != null && cs >= 40) {
          double t = Palette.position(v, lo, hi);
          el.element(
              "text",
              Numbers.shortly(v),
              "class",
              "val",
              "x",
              left + cs * i + (cs - 1) / 2,
              "y",
              top + cs * j + cs / 2 + 3,
              "text-anchor",
              "middle",
              "style",
              "fill:" + (Palette.light(t) ? "#111" : "#fff"));
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
    h.append("<defs>");
    el.start("linearGradient", "id", gid);
    for (int k = 0; k <= 8; k++) {
      el.empty("stop", "offset", k * 100 / 8 + "%", "stop-color", Palette.hex(k / 8.0));
    }
    h.append("</linearGradient></defs>");
    el.rect("legend", x, y, w, 10, "url(#" + gid + ")", null)
        .text("tick", x, y + 24, null, Numbers.shortly(lo))
        .text("tick", x + w, y + 24, "end", Numbers.shortly(hi));
  }

  // ---------------------------------------------------------------- parallel coordinates

  private void parallel() {
    section("parallel", "Parallel coordinates");
    List<String> axes = new ArrayList<>(d.axisValues.keySet());
    List<ReportData.Scored> lines = d.parallel();
    if (lines.isEmpty() || axes.isEmpty()) {
      h.append("<p class=\"empty\">No ")
          .append(d.unit)
          .append(" with a value yet.</p></section>\n");
      return;
    }
    long total = d.parallelTotal();
    h.append("<p class=\"note\">Each line is a ")
        .append(d.unit)
        .append(": its parameter values, then its ")
        .append(scoredAs())
        .append(d.info.hasPoints() ? " over repeats and folds" : "")
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
    for (ReportData.Scored r : lines) {
      lo = Math.min(lo, r.value());
      hi = Math.max(hi, r.value());
    }
    int left = 60;
    int right = 80;
    int top = 30;
    int plotH = 300;
    int gap = Math.max(110, Math.min(180, 820 / Math.max(1, axes.size())));
    int w = left + gap * axes.size() + right;
    int ht = top + plotH + 40;
    el.start(
            "svg",
            "class",
            "parallel",
            "width",
            w,
            "height",
            ht,
            "viewBox",
            "0 0 " + w + " " + ht,
            "role",
            "img")
        .start("g", "class", "lines");
    // Worst first, so the best lines are drawn on top.
    List<ReportData.Scored> drawOrder = new ArrayList<>(lines);
    java.util.Collections.reverse(drawOrder);
    for (ReportData.Scored r : drawOrder) {
      double v = r.value();
      StringBuilder path = new StringBuilder();
      for (int a = 0; a < axes.size(); a++) {
        Integer k = d.index(axes.get(a), r.parameters());
        int size = d.axisValues.get(axes.get(a)).size();
        double py = top + (size == 1 || k == null ? plotH / 2.0 : plotH * k / (double) (size - 1));
        path.append(a == 0 ? "M" : "L").append(left + gap * a).append(' ').append(n(py));
      }
      double t = Palette.position(v, lo, hi);
      double vy = top + plotH * (1 - t);
      path.append("L").append(left + gap * axes.size()).append(' ').append(n(vy));
      el.empty(
          "path",
          "class",
          "line",
          "d",
          path,
          "stroke",
          Palette.hex(t),
          "data-tip",
          d.unit
              + " "
              + r.id()
              + ": "
              + params(r.parameters())
              + " → "
              + d.info.metric()
              + " "
              + Numbers.shortly(v));
    }
    h.append("</g>");
    for (int a = 0; a <= axes.size(); a++) {
      int ax = left + gap * a;
      el.line("axis", ax, top, ax, top + plotH)
          .text(
              "axis-title",
              ax,
              top - 12,
              "middle",
              a < axes.size() ? axes.get(a) : d.info.metric());
      if (a < axes.size()) {
        List<String> vs = d.axisValues.get(axes.get(a));
        int every = Math.max(1, (int) Math.ceil(vs.size() * 14.0 / plotH));
        for (int k = 0; k < vs.size(); k += every) {
          double py = top + (vs.size() == 1 ? plotH / 2.0 : plotH * k / (double) (vs.size() - 1));
          el.text("tick", ax - 5, py + 4, "end", vs.get(k));
        }
      } else {
        el.text("tick", ax + 5, top + 4, null, Numbers.shortly(hi))
            .text("tick", ax + 5, top + plotH + 4, null, Numbers.shortly(lo));
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
        .append(" ")
        .append(d.unit)
        .append("s, ")
        .append(scoredAs())
        .append(": min ")
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
    el.start(
        "svg",
        "class",
        "histogram",
        "width",
        left + plotW + 20,
        "height",
        top + plotH + 40,
        "role",
        "img");
    double bw = plotW / (double) bins;
    for (int b = 0; b < bins; b++) {
      double bh = plotH * count[b] / (double) max;
      double from = lo + (hi - lo) * b / bins;
      double to = lo + (hi - lo) * (b + 1) / bins;
      el.rect(
          "bar",
          left + bw * b + 1,
          top + plotH - bh,
          Math.max(1, bw - 2),
          bh,
          Palette.hex((b + 0.5) / bins),
          Numbers.shortly(from)
              + " to "
              + Numbers.shortly(to)
              + ": "
              + count[b]
              + " "
              + d.unit
              + "s");
    }
    axisX(left, top + plotH, plotW, lo, hi);
    yLabels(left - 6, top, plotH, max);
    h.append("</svg>\n</section>\n");
  }

  /** What each scored value is: the metric, or with points its aggregate over repeats and folds. */
  private String scoredAs() {
    return d.info.hasPoints()
        ? d.info.aggregate() + " " + esc(d.info.metric())
        : esc(d.info.metric());
  }

  private void axisX(int left, int y, int w, double lo, double hi) {
    el.axisLine(left, y, w);
    for (int k = 0; k <= 4; k++) {
      el.text("tick", left + w * k / 4, y + 16, "middle", Numbers.shortly(lo + (hi - lo) * k / 4));
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
        .append(scoredAs())
        .append(
            " that a parameter's values explain on their own (η², between-value sum of squares"
                + " over the total). Below, each parameter's marginal effect: the mean over the"
                + " other parameters (dots, ± one standard deviation) and the best (diamonds).</p>\n");
    int left = 12 + 7 * imp.keySet().stream().mapToInt(String::length).max().orElse(4);
    int rowH = 22;
    el.start(
        "svg",
        "class",
        "importance",
        "width",
        left + 420,
        "height",
        rowH * imp.size() + 10,
        "role",
        "img");
    int row = 0;
    for (var e : imp.entrySet()) {
      double bw = 340 * e.getValue();
      int y = 5 + rowH * row++;
      el.text("tick", left - 6, y + 14, "end", e.getKey())
          .empty(
              "rect",
              "class",
              "importance-bar",
              "data-parameter",
              e.getKey(),
              "x",
              left,
              "y",
              y,
              "width",
              Math.max(1, bw),
              "height",
              rowH - 6,
              "fill",
              Palette.hex(0.35),
              "data-tip",
              e.getKey() + ": η² " + Numbers.shortly(e.getValue()))
          .text(
              "tick",
              left + Math.max(1, bw) + 6,
              y + 14,
              null,
              String.format(java.util.Locale.ROOT, "%.0f%%", 100 * e.getValue()));
    }
    h.append("</svg>\n<div class=\"row\">");
    for (String p : imp.keySet()) {
      marginal(p);
    }
    h.append("</div></section>\n");
  }

  /** A marginal cell holds {count, sum, sum of squares, best}: its mean and population std. */
  private static double mean(double[] c) {
    return c[1] / c[0];
  }

  private static double sd(double[] c) {
    return Math.sqrt(Math.max(0, c[2] / c[0] - mean(c) * mean(c)));
  }

  private void marginal(String p) {
    double[][] m = d.marginals.get(p);
    List<String> vs = d.axisValues.get(p);
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double[] c : m) {
      if (c[0] > 0) {
        double mean = mean(c);
        double sd = sd(c);
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
    h.append("<figure>");
    el.start(
            "svg",
            "class",
            "marginal",
            "data-parameter",
            p,
            "width",
            left + plotW + 10,
            "height",
            top + plotH + 36,
            "role",
            "img")
        .axisLine(left, top + plotH, plotW);
    StringBuilder meanPath = new StringBuilder();
    int every = Math.max(1, (int) Math.ceil(30 / step));
    for (int k = 0; k < vs.size(); k++) {
      double x = left + step * (k + 0.5);
      if (k % every == 0) {
        el.text("tick", x, top + plotH + 14, "middle", vs.get(k));
      }
      double[] c = m[k];
      if (c[0] == 0) {
        continue;
      }
      double mean = mean(c);
      double sd = sd(c);
      double ym = top + plotH * (hi - mean) / (hi - lo);
      double y1 = top + plotH * (hi - (mean + sd)) / (hi - lo);
      double y2 = top + plotH * (hi - (mean - sd)) / (hi - lo);
      double yb = top + plotH * (hi - c[3]) / (hi - lo);
      meanPath.append(meanPath.length() == 0 ? "M" : "L").append(n(x)).append(' ').append(n(ym));
      el.line("sd", x, y1, x, y2)
          .circle(
              "mean",
              x,
              ym,
              "3.5",
              p
                  + "="
                  + vs.get(k)
                  + ": mean "
                  + Numbers.shortly(mean)
                  + " ± "
                  + Numbers.shortly(sd)
                  + ", best "
                  + Numbers.shortly(c[3])
                  + " ("
                  + (long) c[0]
                  + " "
                  + d.unit
                  + "s)")
          .empty("path", "class", "best", "d", "M" + n(x) + ' ' + n(yb - 4) + "l4 4l-4 4l-4 -4z");
    }
    if (meanPath.length() > 0) {
      el.empty("path", "class", "mean-line", "d", meanPath);
    }
    yLabels(left - 4, top, plotH, Numbers.shortly(hi), Numbers.shortly(lo));
    el.text("axis-title", left + plotW / 2, top + plotH + 32, "middle", p);
    h.append("</svg></figure>");
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
    timelineSvg("timeline-trials", left + plotW + 120, top + plotH + 30);
    step(started, n, left, top, plotW, plotH, "started");
    step(finished, n, left, top, plotW, plotH, "finished");
    timeAxis(left, top + plotH, plotW, t1 - t0);
    yLabels(left - 4, top, plotH, n);
    el.text("tick started", left + plotW + 8, top + 10, null, "started")
        .text("tick finished", left + plotW + 8, top + 26, null, "finished");
    h.append("</svg>\n");
    // Concurrency.
    int cH = 90;
    timelineSvg("timeline-concurrency", left + plotW + 120, top + cH + 30);
    step(running, Math.max(1, peak), left, top, plotW, cH, "running");
    timeAxis(left, top + cH, plotW, t1 - t0);
    yLabels(left - 4, top, cH, Math.max(1, peak));
    el.text("tick running", left + plotW + 8, top + 10, null, "running");
    h.append("</svg>\n");
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
    h.append("<h3>Best ").append(esc(d.info.metric())).append(" so far</h3>");
    timelineSvg("timeline-best", left + plotW + 120, top + plotH + 30);
    h.append("<path class=\"best-line\" d=\"");
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
    String after = Numbers.duration(Duration.ofMillis((long) last[0] - t0));
    el.circle(
        "best-point",
        bx,
        top + plotH * (hi - last[1]) / (hi - lo),
        "4",
        "best " + Numbers.shortly(last[1]) + " after " + after);
    timeAxis(left, top + plotH, plotW, t1 - t0);
    yLabels(left - 4, top, plotH, Numbers.shortly(hi), Numbers.shortly(lo));
    el.text("tick", left + plotW + 8, top + 10, null, "time to best " + after);
    h.append("</svg>\n");
  }

  private void timelineSvg(String id, int width, int height) {
    el.start("svg", "class", "timeline", "id", id, "width", width, "height", height, "role", "img");
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
    el.axisLine(left, y, w);
    for (int k = 0; k <= 4; k++) {
      el.text(
          "tick",
          left + w * k / 4,
          y + 16,
          "middle",
          k == 0 ? "0s" : "+" + Numbers.duration(Duration.ofMillis(spanMillis * k / 4)));
    }
  }

  /** A y axis's two labels, right-aligned at {@code x}: {@code max} at the top, 0 at the foot. */
  private void yLabels(int x, int top, int ht, long max) {
    yLabels(x, top, ht, Long.toString(max), "0");
  }

  private void yLabels(int x, int top, int ht, String max, String min) {
    el.text("tick", x, top + 8, "end", max).text("tick", x, top + ht, "end", min);
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
    d.info.parameters().forEach(p -> el.element("th", p));
    h.append("<th>state</th><th>reason</th><th>message</th></tr></thead>\n<tbody>\n");
    for (ResultRecord r : d.failures) {
      h.append("<tr>");
      num(r.trial(), null);
      parameterCells(d.info.parameters(), r.parameters());
      String msg = r.message() == null ? "" : r.message();
      if (msg.length() > 300) {
        msg = "…" + msg.substring(msg.length() - 299);
      }
      el.element("td", String.valueOf(r.state())).element("td", r.reason()).start("td");
      el.element("pre", msg);
      h.append("</td></tr>\n");
    }
    h.append("</tbody></table>\n</section>\n");
  }

  // ----------------------------------------------------------------

  private void section(String id, String title) {
    el.start("section", "id", id).element("h2", title);
    h.append("\n");
  }

  /** A numeric cell; {@code sort} (data-sort, the exact value the table sorts by) may be null. */
  private void num(Object content, String sort) {
    el.element("td", content, "class", "num", "data-sort", sort);
  }

  /** A row's parameter values in {@code names}' order, a missing value as an empty cell. */
  private void parameterCells(List<String> names, Map<String, String> values) {
    for (String p : names) {
      el.element("td", values == null ? "" : values.get(p));
    }
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
