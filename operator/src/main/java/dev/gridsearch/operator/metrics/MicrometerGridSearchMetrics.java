package dev.gridsearch.operator.metrics;

import dev.gridsearch.operator.api.GridSearch;
import dev.gridsearch.operator.api.GridSearchStatus;
import dev.gridsearch.operator.api.GridSearchStatus.Phase;
import dev.gridsearch.operator.results.ResultRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The domain meters. Aggregate meters are labelled by namespace (and state or phase) only; the two
 * per-search gauges (best objective, finished trials) are labelled namespace and name and removed
 * when the search is deleted.
 */
public final class MicrometerGridSearchMetrics implements GridSearchMetrics {
  public static final String TRIALS_FINISHED = "gridsearch.trials.finished";
  public static final String TRIALS = "gridsearch.trials";
  public static final String TRIAL_DURATION = "gridsearch.trial.duration";
  public static final String LAUNCHES_HELD_BACK = "gridsearch.launches.held.back";
  public static final String SEARCHES = "gridsearch.searches";
  public static final String BEST_OBJECTIVE = "gridsearch.search.best.objective";
  public static final String SEARCH_TRIALS_FINISHED = "gridsearch.search.trials.finished";

  /**
   * Trials last from seconds to days; fixed buckets keep the exposition small (no percentile
   * histogram).
   */
  private static final Duration[] DURATION_BUCKETS = {
    Duration.ofSeconds(10),
    Duration.ofSeconds(30),
    Duration.ofMinutes(1),
    Duration.ofMinutes(5),
    Duration.ofMinutes(15),
    Duration.ofMinutes(30),
    Duration.ofHours(1),
    Duration.ofHours(2),
    Duration.ofHours(6),
    Duration.ofHours(12),
    Duration.ofDays(1),
    Duration.ofDays(3)
  };

  private final MeterRegistry registry;
  private final Map<SearchKey, Snapshot> searches = new ConcurrentHashMap<>();
  private final MultiGauge trials;
  private final MultiGauge phases;
  private final MultiGauge best;
  private final MultiGauge finishedPerSearch;

  /** Namespace totals as of the last refresh, read by the aggregate rows when scraped. */
  private record Totals(Map<String, long[]> trials, Map<String, long[]> phases) {}

  private volatile Totals totals = new Totals(Map.of(), Map.of());

  /** What the gauges show of one search: its last applied status. */
  private record Snapshot(Phase phase, long pending, long running, long finished, Double best) {}

  /** A search's identity in the gauges. */
  public record SearchKey(String namespace, String name) {}

  public MicrometerGridSearchMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.trials =
        MultiGauge.builder(TRIALS)
            .description("Unfinished trials by state (Pending, Running)")
            .register(registry);
    this.phases =
        MultiGauge.builder(SEARCHES).description("GridSearches by phase").register(registry);
    this.best =
        MultiGauge.builder(BEST_OBJECTIVE)
            .description("Best objective value of each GridSearch so far")
            .register(registry);
    this.finishedPerSearch =
        MultiGauge.builder(SEARCH_TRIALS_FINISHED)
            .description(
                "Finished trials of each running GridSearch (flat while it makes no progress)")
            .register(registry);
  }

  @Override
  public void applied(GridSearch search, List<ResultRecord> records, GridSearchStatus status) {
    String namespace = search.getMetadata().getNamespace();
    for (ResultRecord record : records) {
      String state = record.state().name();
      Counter.builder(TRIALS_FINISHED)
          .description("Trials that reached a final state")
          .tags("namespace", namespace, "state", state)
          .register(registry)
          .increment();
      duration(record)
          .ifPresent(
              d ->
                  Timer.builder(TRIAL_DURATION)
                      .description("Trial run time, from the trial's start to its final state")
                      .tags("namespace", namespace, "state", state)
                      .serviceLevelObjectives(DURATION_BUCKETS)
                      .register(registry)
                      .record(d));
    }
    if (status != null && status.phase() != null) {
      GridSearchStatus.TrialCounts counts = status.trials();
      long finished =
          counts == null
              ? 0
              : counts.succeeded() + counts.failed() + counts.metricsMissing() + counts.stopped();
      searches.put(
          new SearchKey(namespace, search.getMetadata().getName()),
          new Snapshot(
              status.phase(),
              counts == null ? 0 : counts.pending(),
              counts == null ? 0 : counts.running(),
              finished,
              status.best() == null ? null : status.best().value()));
      refresh();
    }
  }

  @Override
  public void launchesHeldBack(GridSearch search, int trials) {
    Counter.builder(LAUNCHES_HELD_BACK)
        .description("Trial launches held back because a ResourceQuota had no room")
        .tags("namespace", search.getMetadata().getNamespace())
        .register(registry)
        .increment(trials);
  }

  /**
   * The search was deleted: its per-search gauges go, and it no longer counts in the aggregates.
   */
  public void forget(SearchKey key) {
    if (searches.remove(key) != null) {
      refresh();
    }
  }

  /**
   * Sets which gauge rows exist; each reads its value from the snapshots when scraped. Rows that
   * stay are never re-registered: a remove and add under the same id races a scrape, which then
   * misses the series or fails on a duplicate.
   */
  private synchronized void refresh() {
    Map<String, long[]> byNamespace = new TreeMap<>();
    Map<String, long[]> phaseCounts = new TreeMap<>();
    List<MultiGauge.Row<?>> bestRows = new ArrayList<>();
    List<MultiGauge.Row<?>> finishedRows = new ArrayList<>();
    for (Map.Entry<SearchKey, Snapshot> e : searches.entrySet()) {
      SearchKey key = e.getKey();
      Snapshot s = e.getValue();
      long[] t = byNamespace.computeIfAbsent(key.namespace(), k -> new long[2]);
      t[0] += s.pending();
      t[1] += s.running();
      phaseCounts
          .computeIfAbsent(key.namespace(), k -> new long[Phase.values().length])[
          s.phase().ordinal()]++;
      Tags searchTags = Tags.of("namespace", key.namespace(), "name", key.name());
      if (s.best() != null) {
        bestRows.add(MultiGauge.Row.of(searchTags, key, k -> value(k, Snapshot::best)));
      }
      if (s.phase() == Phase.Running) {
        finishedRows.add(MultiGauge.Row.of(searchTags, key, k -> value(k, Snapshot::finished)));
      }
    }
    totals = new Totals(Map.copyOf(byNamespace), Map.copyOf(phaseCounts));
    List<MultiGauge.Row<?>> trialRows = new ArrayList<>();
    for (String ns : byNamespace.keySet()) {
      trialRows.add(
          MultiGauge.Row.of(
              Tags.of("namespace", ns, "state", "Pending"), ns, n -> total(totals.trials(), n, 0)));
      trialRows.add(
          MultiGauge.Row.of(
              Tags.of("namespace", ns, "state", "Running"), ns, n -> total(totals.trials(), n, 1)));
    }
    List<MultiGauge.Row<?>> phaseRows = new ArrayList<>();
    for (String ns : phaseCounts.keySet()) {
      for (Phase phase : Phase.values()) {
        phaseRows.add(
            MultiGauge.Row.of(
                Tags.of("namespace", ns, "phase", phase.name()),
                ns,
                n -> total(totals.phases(), n, phase.ordinal())));
      }
    }
    trials.register(trialRows, false);
    phases.register(phaseRows, false);
    best.register(bestRows, false);
    finishedPerSearch.register(finishedRows, false);
  }

  private static double total(Map<String, long[]> totals, String namespace, int i) {
    long[] t = totals.get(namespace);
    return t == null ? Double.NaN : t[i];
  }

  private double value(SearchKey key, Function<Snapshot, Number> field) {
    Snapshot s = searches.get(key);
    Number v = s == null ? null : field.apply(s);
    return v == null ? Double.NaN : v.doubleValue();
  }

  private static Optional<Duration> duration(ResultRecord record) {
    if (record.startTime() == null || record.finishTime() == null) {
      return Optional.empty();
    }
    try {
      Duration d =
          Duration.between(Instant.parse(record.startTime()), Instant.parse(record.finishTime()));
      return d.isNegative() ? Optional.empty() : Optional.of(d);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
