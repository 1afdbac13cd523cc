package dev.gridsearch.operator.observe;

import dev.gridsearch.operator.api.GridSearch;
import dev.gridsearch.operator.api.GridSearchConditions;
import dev.gridsearch.operator.api.GridSearchStatus;
import dev.gridsearch.operator.grid.Grid;
import dev.gridsearch.operator.plan.Planner;
import dev.gridsearch.operator.plan.TrialResources;
import dev.gridsearch.operator.quota.PodDemand;
import dev.gridsearch.operator.quota.QuotaHeadroom;
import dev.gridsearch.operator.results.ResultRecord;
import dev.gridsearch.operator.results.ResultsView;
import dev.gridsearch.operator.trial.SpecGrid;
import dev.gridsearch.operator.trial.TrialObservation;
import dev.gridsearch.operator.trial.TrialRenderer;
import dev.gridsearch.operator.trial.TrialState;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one search's cache snapshot, and the few API reads the caches cannot answer, into one
 * {@link Observation}: the grid and whether the spec can run, which launched trials are live,
 * recorded, deleted or lost, why trials wait for admission, and what a trial requests. Every such
 * judgement is taken here and nowhere else.
 */
public final class Observer {
  private static final Logger LOG = LoggerFactory.getLogger(Observer.class);

  /** A trial Job without a pod for this long is reported as waiting for admission. */
  static final Duration ADMISSION_GRACE = Duration.ofSeconds(10);

  /**
   * Missing indexes checked against the API server per reconcile; more are checked on the next one.
   */
  static final int MAX_MISSING_CHECKS = 100;

  /**
   * Disrupted pods are replaced by the Job without using a retry (its podFailurePolicy); past this
   * many, the trial fails, so that a trial disrupted for ever still ends.
   */
  public static final int MAX_DISRUPTIONS = 3;

  public Observation observe(Snapshot snapshot, Reads reads) {
    GridSearch search = snapshot.search();
    Optional<Grid> grid;
    Optional<String> invalid;
    try {
      grid = Optional.of(SpecGrid.of(search.getSpec().parameters()));
      invalid = Planner.gridProblem(grid.get(), search.getSpec());
    } catch (IllegalArgumentException e) {
      grid = Optional.empty();
      invalid = Optional.of("spec.parameters: " + e.getMessage());
    }
    TrialRenderer renderer = grid.map(reads::renderer).orElse(null);
    TrialResources resources =
        invalid.isEmpty() && renderer != null
            ? resources(search, renderer, snapshot)
            : TrialResources.UNKNOWN;
    Map<Long, TrialObservation> live = new LinkedHashMap<>(snapshot.live());
    snapshot
        .disruptions()
        .forEach(
            (index, times) -> {
              TrialObservation trial = live.get(index);
              if (trial != null && !trial.isFinal() && times > MAX_DISRUPTIONS) {
                live.put(
                    index,
                    new TrialObservation(
                        index,
                        trial.job(),
                        TrialState.Failed,
                        false,
                        trial.terminating(),
                        trial.startTime(),
                        snapshot.now(),
                        ResultRecord.TOO_MANY_DISRUPTIONS,
                        "its pods were disrupted "
                            + times
                            + " times (evicted, preempted or lost with a node), more than "
                            + MAX_DISRUPTIONS,
                        null,
                        null));
              }
            });
    Optional<String> nameConflict = Optional.empty();
    if (invalid.isEmpty()
        && renderer != null
        && nothingLaunched(search, live, snapshot.results())) {
      try {
        invalid =
            Planner.budgetProblem(search.getSpec())
                .or(() -> reads.validate(renderer))
                .or(() -> neverFits(search, resources, snapshot));
      } catch (NameConflict e) {
        nameConflict = Optional.of(e.getMessage());
      }
    }
    ResultsView results = snapshot.results();
    Set<Long> deleted = Set.of();
    Set<Long> lost = Set.of();
    Optional<String> recordsLost = Optional.empty();
    if (invalid.isEmpty() && grid.isPresent() && unaccounted(search.getStatus(), live, results)) {
      results = reads.freshResults();
      recordsLost = recordsLost(search.getStatus(), results);
      Set<Long> gone = new HashSet<>();
      long launched = launched(search.getStatus());
      int checks = 0;
      for (long i = 0; i < launched && checks < MAX_MISSING_CHECKS; i++) {
        if (live.containsKey(i) || results.isRecorded(i)) {
          continue;
        }
        checks++;
        Optional<TrialObservation> job = reads.job(i);
        if (job.isPresent()) {
          live.put(i, job.get());
        } else {
          gone.add(i);
        }
      }
      if (!gone.isEmpty()) {
        LOG.info(
            "{}/{}: trials {} were launched but their Jobs are gone without a record{}",
            search.getMetadata().getNamespace(),
            search.getMetadata().getName(),
            gone,
            recordsLost.map(why -> " (" + why + ")").orElse(""));
      }
      // Once records were lost, a missing trial's outcome is unknown, not a deletion by someone
      // else.
      if (recordsLost.isPresent()) {
        lost = gone;
      } else {
        deleted = gone;
      }
    }
    return new Observation(
        search,
        grid,
        invalid,
        List.copyOf(live.values()),
        results,
        deleted,
        lost,
        recordsLost,
        admissionWaits(live, snapshot.jobsWithPods(), snapshot.now(), reads),
        nameConflict,
        resources,
        renderer,
        snapshot.now());
  }

  /**
   * Whether the caches cannot account for every launched trial, or hold fewer records than the last
   * status counted: then the API server decides, as the caches may lag our own writes.
   */
  static boolean unaccounted(
      GridSearchStatus previous, Map<Long, TrialObservation> live, ResultsView results) {
    long liveUnrecorded = live.keySet().stream().filter(i -> !results.isRecorded(i)).count();
    return results.records() + liveUnrecorded < launched(previous) || shrank(previous, results);
  }

  private static long launched(GridSearchStatus status) {
    return status == null || status.launched() == null ? 0 : status.launched();
  }

  /**
   * Whether {@code results} hold fewer trial records, point records or shards than the last status
   * counted. Live Jobs can hide lost records (a lagging Job cache, the kept best Job), so the
   * launched count alone is not enough; and a point written after its trials may lag them.
   */
  static boolean shrank(GridSearchStatus previous, ResultsView results) {
    return previous != null
        && (previous.results() != null
                && (previous.results().records() > results.records()
                    || previous.results().configMaps() != null
                        && !results.names().containsAll(previous.results().configMaps()))
            || previous.points() != null && previous.points().finished() > results.pointRecords());
  }

  /**
   * Whether results ConfigMaps were deleted: shards the last status listed are gone, or fewer
   * records are stored than it counted. Once so, it stays so (the condition), and missing trials
   * are lost rather than deleted.
   */
  static Optional<String> recordsLost(GridSearchStatus previous, ResultsView fresh) {
    if (previous == null) {
      return Optional.empty();
    }
    Optional<String> already =
        previous.conditions() == null
            ? Optional.empty()
            : previous.conditions().stream()
                .filter(c -> GridSearchConditions.RECORDS_LOST.equals(c.getType()))
                .findFirst()
                .map(c -> c.getMessage());
    if (already.isPresent() || !shrank(previous, fresh)) {
      return already;
    }
    List<String> gone =
        previous.results().configMaps() == null
            ? List.of()
            : previous.results().configMaps().stream()
                .filter(n -> !fresh.names().contains(n))
                .toList();
    long missingRecords = previous.results().records() - fresh.records();
    return Optional.of(
        (gone.isEmpty()
                ? "results records were deleted"
                : "results ConfigMap " + String.join(", ", gone) + " was deleted")
            + ": "
            + Math.max(missingRecords, 0)
            + " trial records lost; those trials are recorded Stopped with reason RecordLost");
  }

  /**
   * Trials whose Jobs have had no pod for a while: their pods are refused (e.g. quota raced with
   * others).
   */
  static Optional<String> admissionWaits(
      Map<Long, TrialObservation> live, Set<String> jobsWithPods, Instant now, Reads reads) {
    List<TrialObservation> waiting =
        live.values().stream()
            .filter(o -> !o.isFinal() && !o.suspended() && !jobsWithPods.contains(o.job()))
            .filter(o -> o.startTime() != null && o.startTime().plus(ADMISSION_GRACE).isBefore(now))
            .toList();
    if (waiting.isEmpty()) {
      return Optional.empty();
    }
    String reason = reads.lastFailedCreate(waiting.get(0).job()).orElse("no pod created yet");
    return Optional.of(
        waiting.size()
            + " trial"
            + (waiting.size() == 1 ? " waits" : "s wait")
            + " for their pods to be admitted (trial "
            + waiting.get(0).index()
            + ": "
            + reason
            + ")");
  }

  private static boolean nothingLaunched(
      GridSearch search, Map<Long, TrialObservation> live, ResultsView view) {
    return launched(search.getStatus()) == 0 && live.isEmpty() && view.records() == 0;
  }

  /**
   * What one trial requests after LimitRange defaults, and whether parallelism of them fit the
   * quotas' hard limits.
   */
  static TrialResources resources(GridSearch search, TrialRenderer renderer, Snapshot snapshot) {
    Job first;
    try {
      first = renderer.render(0);
    } catch (IllegalArgumentException e) {
      return TrialResources.UNKNOWN; // not a Job template: the dry-run before trial 0 reports it
    }
    int pods = podsPerTrial(first);
    PodDemand demand;
    try {
      demand = PodDemand.of(first.getSpec().getTemplate().getSpec(), snapshot.limitRanges());
    } catch (RuntimeException e) {
      return TrialResources
          .UNKNOWN; // e.g. an unparsable quantity: the dry-run before trial 0 reports it
    }
    int parallelism = search.getSpec().parallelism() == null ? 1 : search.getSpec().parallelism();
    Optional<String> peak =
        new QuotaHeadroom(snapshot.quotas())
            .neverFits(demand, pods * parallelism)
            .map(
                s ->
                    "ResourceQuota "
                        + s.quota()
                        + ": "
                        + s.resource()
                        + " would need "
                        + s.need().stripTrailingZeros().toPlainString()
                        + " at parallelism "
                        + parallelism
                        + ", hard limit "
                        + s.free().stripTrailingZeros().toPlainString()
                        + "; trials will queue for room");
    return new TrialResources(demand, pods, !snapshot.quotas().isEmpty(), peak);
  }

  /**
   * A trial that asks more than a quota's hard limit could never run: the search is invalid,
   * nothing launches.
   */
  static Optional<String> neverFits(GridSearch search, TrialResources trial, Snapshot snapshot) {
    if (trial.pod() == null || snapshot.quotas().isEmpty()) {
      return Optional.empty();
    }
    return new QuotaHeadroom(snapshot.quotas())
        .neverFits(trial.pod(), trial.podsPerTrial())
        .map(
            s ->
                "spec.trialTemplate: one trial needs more than ResourceQuota "
                    + s.quota()
                    + " allows at all: "
                    + s.resource()
                    + " "
                    + s.need().stripTrailingZeros().toPlainString()
                    + " per trial, hard limit "
                    + s.free().stripTrailingZeros().toPlainString()
                    + "; no trial could ever run");
  }

  /** How many pods one trial Job runs at once. */
  public static int podsPerTrial(Job job) {
    Integer parallelism = job.getSpec().getParallelism();
    return parallelism == null ? 1 : Math.max(1, parallelism);
  }
}
