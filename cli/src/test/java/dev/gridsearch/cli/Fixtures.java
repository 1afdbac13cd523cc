package dev.gridsearch.cli;

import dev.gridsearch.operator.grid.TrialLayout;
import dev.gridsearch.operator.results.ResultRecord;
import dev.gridsearch.operator.trial.TrialState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The searches the golden files show: GridSearchIT's 3 × 4 × 2 sweep (acc = 0.abc, loss = c), with
 * two failures and one trial without metrics, and a 2-parameter 3 × 4 grid.
 */
final class Fixtures {
  static final Instant T0 = Instant.parse("2026-11-29T09:05:00Z");
  static final Instant NOW = Instant.parse("2026-11-29T10:00:00Z");

  private Fixtures() {}

  /**
   * A GridSearch in namespace ml: {@code spec} and {@code status} are their fields' lines without
   * indentation; every fixture runs the same one-container trial template.
   */
  private static String manifest(String name, String created, String spec, String status) {
    return "apiVersion: gridsearch.dev/v1alpha1\n"
        + "kind: GridSearch\n"
        + "metadata: {name: "
        + name
        + ", namespace: ml, creationTimestamp: \""
        + created
        + "\"}\n"
        + "spec:\n"
        + spec.indent(2)
        + "  trialTemplate: {spec: {template: {spec: {containers: [{name: t, image: busybox}]}}}}\n"
        + "status:\n"
        + status.indent(2);
  }

  static final String SWEEP =
      manifest(
          "sweep",
          "2026-11-29T09:04:00Z",
          """
          parameters:
            - {name: a, values: [1, 2, 3]}
            - {name: b, values: [4, 9, 2, 7]}
            - {name: c, values: [5, 1]}
          objective: {metric: acc, goal: Maximize}
          parallelism: 4
          """,
          """
          phase: Succeeded
          gridSize: 24
          totalTrials: 24
          launched: 24
          progress: 24/24
          trials: {pending: 0, running: 0, succeeded: 21, failed: 2, metricsMissing: 1, stopped: 0}
          best:
            trial: 18
            job: sweep-18
            value: 0.395
            parameters: {a: "3", b: "9", c: "5"}
            metrics: {acc: 0.395, loss: 5}
          results: {configMaps: [sweep-results-0, sweep-results-1, sweep-results-2], records: 24}
          startTime: "2026-11-29T09:05:00Z"
          completionTime: "2026-11-29T09:06:10Z"
          """);

  /** Trial i of the sweep; 2 and 13 fail, 20 reports no acc. */
  static List<ResultRecord> sweepRecords() {
    int[] a = {1, 2, 3};
    int[] b = {4, 9, 2, 7};
    int[] c = {5, 1};
    List<ResultRecord> out = new ArrayList<>();
    int i = 0;
    for (int x : a) {
      for (int y : b) {
        for (int z : c) {
          Instant start = T0.plusSeconds(10L * (i / 4) + i % 4);
          Instant finish = start.plusSeconds(5 + i % 3);
          Map<String, String> params = new LinkedHashMap<>();
          params.put("a", Integer.toString(x));
          params.put("b", Integer.toString(y));
          params.put("c", Integer.toString(z));
          if (i == 2 || i == 13) {
            out.add(
                unsuccessful(
                    "sweep",
                    i,
                    TrialState.Failed,
                    params,
                    null,
                    "BackoffLimitExceeded",
                    "Traceback (most recent call last):\n  File \"train.py\", line 3\n"
                        + "ValueError: <bad> & \"worse\"",
                    start,
                    finish));
          } else if (i == 20) {
            out.add(
                unsuccessful(
                    "sweep",
                    i,
                    TrialState.MetricsMissing,
                    params,
                    Map.of("loss", 1.0),
                    "MetricMissing",
                    "the termination message lacks \"acc\"",
                    start,
                    finish));
          } else {
            double acc = Double.parseDouble("0." + x + y + z);
            Map<String, Double> metrics = new LinkedHashMap<>();
            metrics.put("acc", acc);
            metrics.put("loss", (double) z);
            out.add(succeeded("sweep", i, params, acc, metrics, start, finish));
          }
          i++;
        }
      }
    }
    return out;
  }

  static FixtureSource sweep() {
    List<ResultRecord> records = new ArrayList<>(sweepRecords());
    // The operator records in finishing order: shard 1 holds a later index before an earlier one.
    java.util.Collections.swap(records, 9, 10);
    FixtureSource source =
        new FixtureSource().add(FixtureSource.parse(SWEEP)).records("sweep", records, 9);
    source.podLogs.put("sweep-23-abcde", "époque 1/3 — loss 0.52 ✓\népoque 2/3 — loss 0.31 ✓ 学习\n");
    return source;
  }

  static final String CV =
      manifest(
          "cv",
          "2026-11-29T09:00:00Z",
          """
          parameters:
            - {name: C, values: ["0.1", "1", "10"]}
            - {name: gamma, values: ["0.01", "0.1"]}
          repeats: 2
          folds: 3
          objective: {metric: accuracy, goal: Maximize}
          parallelism: 6
          """,
          """
          phase: Succeeded
          gridSize: 6
          totalTrials: 36
          launched: 36
          progress: 36/36
          trials: {pending: 0, running: 0, succeeded: 35, failed: 1, metricsMissing: 0, stopped: 0}
          best:
            point: 3
            value: 0.9
            std: 0.006455
            n: 6
            rank: 1
            parameters: {C: "1", gamma: "0.1"}
            metrics: {accuracy: 0.9}
          startTime: "2026-11-29T09:05:00Z"
          completionTime: "2026-11-29T09:07:00Z"
          """);

  /**
   * 6 points × (2 repeats × 3 folds): accuracy = a base per point plus a split's offset; trial 7
   * (point 1) fails, so point 1 is Failed (failedTrials Disqualify). Point records come from the
   * operator's own Points.aggregate, as the operator writes them.
   */
  static FixtureSource cv() {
    var gs = FixtureSource.parse(CV);
    var layout = gs.getSpec().layout();
    double[] base = {0.70, 0.80, 0.85, 0.90, 0.88, 0.90};
    double[] offset = {-0.01, 0.0, 0.01, 0.0, 0.005, -0.005};
    String[] cs = {"0.1", "1", "10"};
    String[] gammas = {"0.01", "0.1"};
    List<ResultRecord> trials = new ArrayList<>();
    List<String> points = new ArrayList<>();
    var codec = new dev.gridsearch.operator.results.ResultCodec();
    FixtureSource source = new FixtureSource().add(gs);
    for (int p = 0; p < 6; p++) {
      Map<String, String> params = new LinkedHashMap<>();
      params.put("C", cs[p / 2]);
      params.put("gamma", gammas[p % 2]);
      List<ResultRecord> mine = new ArrayList<>();
      for (int s = 0; s < 6; s++) {
        long i = layout.firstTrial(p) + s;
        Instant start = T0.plusSeconds(20L * (i / 6) + i % 6);
        Instant finish = start.plusSeconds(10 + s);
        ResultRecord r;
        if (i == 7) {
          r =
              unsuccessful(
                  "cv", i, TrialState.Failed, params, null, "OOMKilled", "Killed", start, finish);
        } else {
          double acc = Math.round((base[p] + offset[s] * (1 + p % 3)) * 10000) / 10000.0;
          Map<String, Double> metrics = new LinkedHashMap<>();
          metrics.put("accuracy", acc);
          metrics.put("fit_seconds", 10.0 + s);
          r = succeeded("cv", i, params, acc, metrics, start, finish);
        }
        r = inPoint(r, p, layout);
        mine.add(r);
        trials.add(r);
      }
      var point =
          dev.gridsearch.operator.points.Points.aggregate(
              p, params, layout, mine, gs.getSpec().objective());
      points.add(codec.encodePoint(point));
    }
    source.records("cv", trials, 18);
    // Point records sit beside the trial records, in the shard written when the point finished.
    for (int p = 0; p < 6; p++) {
      source.shards.get("cv-results-" + (p < 3 ? 0 : 1)).put("point-" + p, points.get(p));
    }
    return source;
  }

  static final String PAIR =
      manifest(
          "pair",
          "2026-11-29T08:00:00Z",
          """
          parameters:
            - {name: lr, logRange: {min: 0.001, max: 0.1, count: 3}}
            - {name: depth, range: {min: 2, max: 8, step: 2}}
          objective: {metric: loss, goal: Minimize}
          parallelism: 2
          """,
          """
          phase: Running
          gridSize: 12
          totalTrials: 12
          launched: 10
          progress: 8/12
          trials: {pending: 0, running: 2, succeeded: 8, failed: 0, metricsMissing: 0, stopped: 0}
          best:
            trial: 5
            job: pair-5
            value: 0.1
            parameters: {lr: "0.01", depth: "4"}
            metrics: {loss: 0.1}
          startTime: "2026-11-29T08:00:05Z"
          """);

  /** 8 of the 3 × 4 trials, loss = |log10(lr) + 2| + |depth - 4| / 10 + 0.1. */
  static FixtureSource pair() {
    String[] lr = {"0.001", "0.01", "0.1"};
    int[] depth = {2, 4, 6, 8};
    List<ResultRecord> out = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      String l = lr[i / 4];
      int d = depth[i % 4];
      double loss =
          Math.round(
                  (Math.abs(Math.log10(Double.parseDouble(l)) + 2) + Math.abs(d - 4) / 10.0 + 0.1)
                      * 1000)
              / 1000.0;
      Instant start = T0.plusSeconds(30L * (i / 2));
      out.add(
          succeeded(
              "pair",
              i,
              Map.of("lr", l, "depth", Integer.toString(d)),
              loss,
              Map.of("loss", loss),
              start,
              start.plusSeconds(25)));
    }
    return new FixtureSource().add(FixtureSource.parse(PAIR)).records("pair", out, 100);
  }

  /** A trial that succeeded, its Job named as the operator names it ({@code search-i}). */
  private static ResultRecord succeeded(
      String search,
      long i,
      Map<String, String> params,
      double value,
      Map<String, Double> metrics,
      Instant start,
      Instant finish) {
    return new ResultRecord(
        i,
        search + "-" + i,
        TrialState.Succeeded,
        params,
        value,
        metrics,
        null,
        null,
        start.toString(),
        finish.toString());
  }

  /** A trial that did not succeed ({@code state}), with its reason and message. */
  private static ResultRecord unsuccessful(
      String search,
      long i,
      TrialState state,
      Map<String, String> params,
      Map<String, Double> metrics,
      String reason,
      String message,
      Instant start,
      Instant finish) {
    return new ResultRecord(
        i,
        search + "-" + i,
        state,
        params,
        null,
        metrics,
        reason,
        message,
        start.toString(),
        finish.toString());
  }

  /** {@code r} placed in point {@code point}, at its trial's repeat and fold. */
  private static ResultRecord inPoint(ResultRecord r, long point, TrialLayout layout) {
    return new ResultRecord(
        r.trial(),
        r.job(),
        r.state(),
        r.parameters(),
        r.value(),
        r.metrics(),
        r.reason(),
        r.message(),
        r.startTime(),
        r.finishTime(),
        point,
        layout.repeat(r.trial()),
        layout.fold(r.trial()));
  }
}
