package dev.gridsearch.operator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridsearch.operator.api.GridSearch;
import dev.gridsearch.operator.api.GridSearchStatus;
import dev.gridsearch.operator.api.GridSearchStatus.Phase;
import dev.gridsearch.operator.api.GridSearchStatus.PointSummary;
import dev.gridsearch.operator.api.GridSearchStatus.TrialCounts;
import dev.gridsearch.operator.metrics.MicrometerGridSearchMetrics.SearchKey;
import dev.gridsearch.operator.results.ResultRecord;
import dev.gridsearch.operator.trial.TrialState;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MicrometerGridSearchMetricsTest {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final MicrometerGridSearchMetrics metrics = new MicrometerGridSearchMetrics(registry);

  @Test
  void countsFinalStatesAndRecordsDurations() {
    apply(
        search("ns-a", "s1"),
        plan(
            status(Phase.Running, 1, 2, 0.5),
            record(0, TrialState.Succeeded, "2026-11-29T10:00:00Z", "2026-11-29T10:01:30Z"),
            record(1, TrialState.Failed, "2026-11-29T10:00:00Z", "2026-11-29T10:00:10Z"),
            record(2, TrialState.Stopped, null, null)));
    apply(
        search("ns-a", "s1"),
        plan(
            status(Phase.Running, 0, 1, 0.5),
            record(3, TrialState.Succeeded, "2026-11-29T10:00:00Z", "2026-11-29T10:00:30Z")));

    assertThat(
            registry
                .get(MicrometerGridSearchMetrics.TRIALS_FINISHED)
                .tags("namespace", "ns-a", "state", "Succeeded")
                .counter()
                .count())
        .isEqualTo(2);
    assertThat(
            registry
                .get(MicrometerGridSearchMetrics.TRIALS_FINISHED)
                .tags("state", "Stopped")
                .counter()
                .count())
        .isEqualTo(1);
    Timer succeeded =
        registry.get(MicrometerGridSearchMetrics.TRIAL_DURATION).tags("state", "Succeeded").timer();
    assertThat(succeeded.count()).isEqualTo(2);
    assertThat(succeeded.totalTime(TimeUnit.SECONDS)).isEqualTo(120);
    // A trial stopped before it started has no duration to record.
    assertThat(
            registry
                .find(MicrometerGridSearchMetrics.TRIAL_DURATION)
                .tags("state", "Stopped")
                .timer())
        .isNull();
  }

  @Test
  void gaugesShowTheLatestStatusAggregatedByNamespace() {
    apply(search("ns-a", "s1"), plan(status(Phase.Running, 3, 2, 0.7)));
    apply(search("ns-a", "s2"), plan(status(Phase.Running, 1, 4, null)));
    apply(search("ns-b", "s3"), plan(status(Phase.Succeeded, 0, 0, 0.9)));
    apply(search("ns-a", "s1"), plan(status(Phase.Running, 2, 2, 0.8)));

    assertThat(gauge(MicrometerGridSearchMetrics.TRIALS, "namespace", "ns-a", "state", "Pending"))
        .isEqualTo(3);
    assertThat(gauge(MicrometerGridSearchMetrics.TRIALS, "namespace", "ns-a", "state", "Running"))
        .isEqualTo(6);
    assertThat(gauge(MicrometerGridSearchMetrics.SEARCHES, "namespace", "ns-a", "phase", "Running"))
        .isEqualTo(2);
    assertThat(
            gauge(MicrometerGridSearchMetrics.SEARCHES, "namespace", "ns-b", "phase", "Succeeded"))
        .isEqualTo(1);
    assertThat(gauge(MicrometerGridSearchMetrics.SEARCHES, "namespace", "ns-b", "phase", "Running"))
        .isEqualTo(0);
    assertThat(gauge(MicrometerGridSearchMetrics.BEST_OBJECTIVE, "namespace", "ns-a", "name", "s1"))
        .isEqualTo(0.8);
    assertThat(registry.find(MicrometerGridSearchMetrics.BEST_OBJECTIVE).tags("name", "s2").gauge())
        .isNull();
    // Finished trials per search exist only while it runs: a flat line there is the no-progress
    // alert's signal.
    assertThat(
            gauge(
                MicrometerGridSearchMetrics.SEARCH_TRIALS_FINISHED,
                "namespace",
                "ns-a",
                "name",
                "s1"))
        .isEqualTo(1);
    assertThat(
            registry
                .find(MicrometerGridSearchMetrics.SEARCH_TRIALS_FINISHED)
                .tags("name", "s3")
                .gauge())
        .isNull();
  }

  @Test
  void aDeletedSearchLosesItsGaugesAndLeavesTheAggregates() {
    apply(search("ns-a", "s1"), plan(status(Phase.Running, 1, 1, 0.7)));
    apply(search("ns-a", "s2"), plan(status(Phase.Running, 1, 1, 0.6)));

    metrics.forget(new SearchKey("ns-a", "s1"));

    assertThat(registry.find(MicrometerGridSearchMetrics.BEST_OBJECTIVE).tags("name", "s1").gauge())
        .isNull();
    assertThat(gauge(MicrometerGridSearchMetrics.BEST_OBJECTIVE, "namespace", "ns-a", "name", "s2"))
        .isEqualTo(0.6);
    assertThat(gauge(MicrometerGridSearchMetrics.SEARCHES, "namespace", "ns-a", "phase", "Running"))
        .isEqualTo(1);
    assertThat(gauge(MicrometerGridSearchMetrics.TRIALS, "namespace", "ns-a", "state", "Running"))
        .isEqualTo(1);
    assertThat(registry.scrape()).doesNotContain("name=\"s1\"");
  }

  @Test
  void launchesHeldBackAreCountedByNamespace() {
    metrics.launchesHeldBack(search("ns-a", "s1"), 3);
    metrics.launchesHeldBack(search("ns-a", "s2"), 2);
    assertThat(
            registry
                .get(MicrometerGridSearchMetrics.LAUNCHES_HELD_BACK)
                .tags("namespace", "ns-a")
                .counter()
                .count())
        .isEqualTo(5);
  }

  @Test
  void theExpositionPassesPromtoolAndNamesTheMeters() throws Exception {
    apply(
        search("ns-a", "s1"),
        plan(
            status(Phase.Running, 1, 1, 0.7),
            record(0, TrialState.Succeeded, "2026-11-29T10:00:00Z", "2026-11-29T10:00:42Z")));
    metrics.launchesHeldBack(search("ns-a", "s1"), 1);
    String exposition = registry.scrape();

    Promtool.Result check = Promtool.checkMetrics(exposition);

    assertThat(check.exitCode()).as(check.output()).isZero();
    assertThat(exposition)
        .contains(
            "gridsearch_trials_finished_total{namespace=\"ns-a\",state=\"Succeeded\"} 1.0",
            "gridsearch_trial_duration_seconds_bucket{",
            "gridsearch_trial_duration_seconds_count{",
            "gridsearch_trials{namespace=\"ns-a\",state=\"Running\"} 1.0",
            "gridsearch_searches{",
            "gridsearch_search_best_objective{name=\"s1\",namespace=\"ns-a\"} 0.7",
            "gridsearch_launches_held_back_total{namespace=\"ns-a\"} 1.0");
  }

  /** A scrape while a status is applied again sees every series: rows are updated in place. */
  @Test
  void aScrapeDuringAnUpdateSeesEverySeries() throws Exception {
    apply(search("ns-a", "s1"), plan(status(Phase.Running, 1, 1, 0.7)));
    Thread writer =
        new Thread(
            () -> {
              for (int i = 0; i < 20_000; i++) {
                apply(search("ns-a", "s1"), plan(status(Phase.Running, 1, 1, 0.7)));
              }
            });
    writer.start();
    int scrapes = 0;
    List<String> missing = new ArrayList<>();
    while (writer.isAlive() || scrapes == 0) {
      String exposition = registry.scrape();
      scrapes++;
      for (String series :
          List.of(
              "gridsearch_search_best_objective{name=\"s1\",namespace=\"ns-a\"} 0.7",
              "gridsearch_searches{namespace=\"ns-a\",phase=\"Running\"} 1.0",
              "gridsearch_trials{namespace=\"ns-a\",state=\"Running\"} 1.0",
              "gridsearch_search_trials_finished{name=\"s1\",namespace=\"ns-a\"} 1.0")) {
        if (!exposition.contains(series)) {
          missing.add(series);
        }
      }
    }
    writer.join();
    assertThat(missing).as("series missing in %d scrapes", scrapes).isEmpty();
  }

  private double gauge(String name, String... tags) {
    return registry.get(name).tags(tags).gauge().value();
  }

  static GridSearch search(String namespace, String name) {
    GridSearch gs = new GridSearch();
    gs.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
    return gs;
  }

  static GridSearchStatus status(Phase phase, long pending, long running, Double best) {
    return GridSearchStatus.builder()
        .observedGeneration(1L)
        .phase(phase)
        .gridSize(10L)
        .totalTrials(10L)
        .launched(pending + running + 1)
        .progress("1/10")
        .trials(new TrialCounts(pending, running, 1, 0, 0, 0))
        .best(
            best == null
                ? null
                : new PointSummary(0, 0L, "s-0", best, null, null, 1, Map.of(), Map.of()))
        .leaderboard(List.of())
        .results(null)
        .startTime(null)
        .completionTime(null)
        .budget(null)
        .preflight(null)
        .conditions(List.of())
        .build();
  }

  static ResultRecord record(long trial, TrialState state, String start, String finish) {
    return new ResultRecord(
        trial, "s-" + trial, state, Map.of(), null, Map.of(), null, null, start, finish);
  }

  /** A carried-out plan as the metrics see it: its records and the status it led to. */
  record Applied(GridSearchStatus status, List<ResultRecord> records) {}

  static Applied plan(GridSearchStatus status, ResultRecord... records) {
    return new Applied(status, List.of(records));
  }

  private void apply(GridSearch search, Applied applied) {
    metrics.applied(search, applied.records(), applied.status());
  }
}
