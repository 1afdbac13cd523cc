package dev.gridsearch.operator.plan;

import static dev.gridsearch.operator.api.GridSearchConditions.COMPLETE;
import static dev.gridsearch.operator.api.GridSearchConditions.FAILED;
import static dev.gridsearch.operator.api.GridSearchConditions.QUOTA_LIMITED;
import static dev.gridsearch.operator.api.GridSearchConditions.READY;
import static dev.gridsearch.operator.api.GridSearchConditions.RECORDS_LOST;
import static dev.gridsearch.operator.api.GridSearchConditions.SUSPENDED;

import dev.gridsearch.operator.api.Cleanup;
import dev.gridsearch.operator.api.GridSearch;
import dev.gridsearch.operator.api.GridSearchConditions.Reason;
import dev.gridsearch.operator.api.GridSearchSpec;
import dev.gridsearch.operator.api.GridSearchStatus;
import dev.gridsearch.operator.api.GridSearchStatus.Phase;
import dev.gridsearch.operator.api.GridSearchStatus.PointCounts;
import dev.gridsearch.operator.api.GridSearchStatus.PointSummary;
import dev.gridsearch.operator.api.GridSearchStatus.Preflight;
import dev.gridsearch.operator.api.GridSearchStatus.ResultsRef;
import dev.gridsearch.operator.api.GridSearchStatus.TrialCounts;
import dev.gridsearch.operator.api.Objective;
import dev.gridsearch.operator.api.Objective.Goal;
import dev.gridsearch.operator.grid.Grid;
import dev.gridsearch.operator.grid.TrialLayout;
import dev.gridsearch.operator.grid.ValueFormat;
import dev.gridsearch.operator.points.Points;
import dev.gridsearch.operator.results.Leaderboard;
import dev.gridsearch.operator.results.MetricStats;
import dev.gridsearch.operator.results.PointRecord;
import dev.gridsearch.operator.results.PointState;
import dev.gridsearch.operator.results.ResultCodec;
import dev.gridsearch.operator.results.ResultRecord;
import dev.gridsearch.operator.results.ResultShards;
import dev.gridsearch.operator.results.ResultShards.ShardWrite;
import dev.gridsearch.operator.results.ResultsView;
import dev.gridsearch.operator.trial.TrialNames;
import dev.gridsearch.operator.trial.TrialObservation;
import dev.gridsearch.operator.trial.TrialState;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The pure heart of the operator: from what is observed, decide what to record, stop, delete,
 * suspend and launch, and what the status says. No client, no clock of its own, no sleeping.
 */
public final class Planner {
  /** Grids above this many points need budget.maxTrials to bound the run. */
  public static final long MAX_UNBOUNDED_TRIALS = 1_000_000;

  private final ResultCodec codec;

  public Planner(ResultCodec codec) {
    this.codec = codec;
  }

  /**
   * Why the grid cannot run, from the grid alone; the reconciler adds the placeholder and dry-run
   * checks.
   */
  public static Optional<String> gridProblem(Grid grid, GridSearchSpec spec) {
    if (grid.size().isEmpty()) {
      return Optional.of("spec.parameters: the grid has more than " + Long.MAX_VALUE + " points");
    }
    TrialLayout layout = spec.layout();
    long size = layout.trials(grid.size().getAsLong());
    Long maxTrials = spec.budget() == null ? null : spec.budget().maxTrials();
    if (size > MAX_UNBOUNDED_TRIALS && (maxTrials == null || maxTrials > MAX_UNBOUNDED_TRIALS)) {
      return Optional.of(
          "spec.parameters: the grid has "
              + grid.size().getAsLong()
              + " points"
              + (layout.perPoint() > 1
                  ? " of " + layout.perPoint() + " trials each (" + size + " trials)"
                  : "")
              + ", more than "
              + MAX_UNBOUNDED_TRIALS
              + " trials; set spec.budget.maxTrials to at most "
              + MAX_UNBOUNDED_TRIALS
              + " to bound the run");
    }
    if (maxTrials != null && maxTrials < layout.perPoint()) {
      return Optional.of(
          "spec.budget.maxTrials: "
              + maxTrials
              + " is less than one point's "
              + layout.perPoint()
              + " trials (repeats "
              + layout.repeats()
              + " x folds "
              + layout.folds()
              + "), and only whole points are launched");
    }
    List<String> values = grid.invalidValues();
    return values.isEmpty()
        ? Optional.empty()
        : Optional.of("spec." + String.join("; spec.", values));
  }

  /**
   * The CRD takes any int or string in budget.resourceHours; only positive quantities make sense.
   * Checked before trial 0; a bad edit later is ignored by the budget rather than failing a running
   * search.
   */
  public static Optional<String> budgetProblem(GridSearchSpec spec) {
    if (spec.budget() == null || spec.budget().resourceHours() == null) {
      return Optional.empty();
    }
    for (var e : spec.budget().resourceHours().entrySet()) {
      String why;
      try {
        why = e.getValue().getNumericalAmount().signum() > 0 ? null : "must be positive";
      } catch (RuntimeException notAQuantity) {
        why = "is not a quantity (e.g. \"400\", \"1.5\", \"2000Gi\")";
      }
      if (why != null) {
        return Optional.of(
            "spec.budget.resourceHours." + e.getKey() + ": \"" + e.getValue() + "\" " + why);
      }
    }
    return Optional.empty();
  }

  /**
   * How long a finished trial's outcome may stay only in its Job, so that several are stored in one
   * write.
   */
  public static final Duration RECORD_DELAY = Duration.ofSeconds(2);

  /** This many waiting outcomes are stored at once. */
  public static final int RECORD_BATCH = 200;

  /**
   * How many trials a plan of {@code in} could launch at most, before quota and creation limits:
   * the free slots under parallelism, bounded by the trials left. The reconciler asks the limits
   * for this many.
   */
  public static int openSlots(PlanInput in) {
    GridSearchSpec spec = in.search().getSpec();
    if (Boolean.TRUE.equals(spec.suspend())
        || in.grid().isEmpty()
        || in.grid().get().size().isEmpty()) {
      return 0;
    }
    long unfinished = in.live().stream().filter(o -> !o.isFinal()).count();
    return (int)
        Math.min(
            Integer.MAX_VALUE,
            slots(spec, unfinished, total(spec, in.grid().get()), frontier(in, liveIndexes(in))));
  }

  private static long slots(GridSearchSpec spec, long unfinished, long total, long launched) {
    int parallelism = spec.parallelism() == null ? 1 : spec.parallelism();
    return Math.min(Math.max(0, parallelism - unfinished), Math.max(0, total - launched));
  }

  /** The trials to run: whole points only, as many as budget.maxTrials holds. */
  private static long total(GridSearchSpec spec, Grid grid) {
    TrialLayout layout = spec.layout();
    long points = grid.size().getAsLong();
    if (spec.budget() != null && spec.budget().maxTrials() != null) {
      points = Math.min(points, spec.budget().maxTrials() / layout.perPoint());
    }
    return layout.trials(points);
  }

  /**
   * The launch frontier: every index below it was created, as the status's count says, moved on
   * past the indexes that are accounted for (live, recorded, or observed deleted or lost). An index
   * above it that is not accounted for was never created (an operator killed in the middle of a
   * batch of creations may have created later indexes and not earlier ones), so it is launched
   * rather than taken for deleted.
   */
  private static long frontier(PlanInput in, Set<Long> live) {
    GridSearchStatus previous = in.search().getStatus();
    long frontier = previous == null || previous.launched() == null ? 0 : previous.launched();
    while (accounted(in, live, frontier)) {
      frontier++;
    }
    return frontier;
  }

  private static boolean accounted(PlanInput in, Set<Long> live, long index) {
    return live.contains(index)
        || in.results().isRecorded(index)
        || in.deleted().contains(index)
        || in.lost().contains(index);
  }

  private static Set<Long> liveIndexes(PlanInput in) {
    Set<Long> live = new HashSet<>();
    in.live().forEach(o -> live.add(o.index()));
    return live;
  }

  /**
   * What the records say so far: trial counts by state, point counts by outcome, the leaderboard's
   * candidates (ranked points), the best.
   */
  private record Tally(
      Map<TrialState, Long> counts,
      Map<PointState, Long> pointCounts,
      List<PointRecord> top,
      Optional<PointRecord> best,
      double finishedSeconds) {
    long failures() {
      return counts.getOrDefault(TrialState.Failed, 0L)
          + counts.getOrDefault(TrialState.MetricsMissing, 0L);
    }
  }

  private static Tally tally(
      ResultsView results, List<ResultRecord> newRecords, List<PointRecord> newPoints, Goal goal) {
    Map<TrialState, Long> counts = new EnumMap<>(TrialState.class);
    counts.putAll(results.counts());
    newRecords.forEach(r -> counts.merge(r.state(), 1L, Long::sum));
    Map<PointState, Long> pointCounts = new EnumMap<>(PointState.class);
    pointCounts.putAll(results.pointCounts());
    newPoints.forEach(p -> pointCounts.merge(p.state(), 1L, Long::sum));
    List<PointRecord> top =
        Leaderboard.top(
            concat(results.top(goal, Leaderboard.MAX_ENTRIES), newPoints),
            goal,
            Leaderboard.MAX_ENTRIES);
    double seconds =
        results.trialSeconds() + newRecords.stream().mapToDouble(ResultRecord::seconds).sum();
    return new Tally(counts, pointCounts, top, top.stream().findFirst(), seconds);
  }

  /**
   * The points to record now: those whose every trial has a record (stored or new) and that have no
   * record of their own, and, when the search ends ({@code closeAll}), every point with a trial
   * record and none of its own (its other trials never ran). Records written before repeats and
   * folds existed get their points this way too.
   */
  private static List<PointRecord> closedPoints(
      Grid grid,
      GridSearchSpec spec,
      ResultsView results,
      List<ResultRecord> newRecords,
      boolean closeAll) {
    TrialLayout layout = spec.layout();
    Map<Long, Map<Long, ResultRecord>> byPoint = new TreeMap<>();
    for (ResultRecord r : concat(results.openTrials(), newRecords)) {
      byPoint.computeIfAbsent(r.pointOrTrial(), p -> new TreeMap<>()).put(r.trial(), r);
    }
    List<PointRecord> closed = new ArrayList<>();
    byPoint.forEach(
        (point, trials) -> {
          if ((closeAll || trials.size() == layout.perPoint()) && !results.isPointRecorded(point)) {
            closed.add(
                Points.aggregate(
                    point,
                    grid.assignment(point).asMap(),
                    layout,
                    trials.values(),
                    spec.objective()));
          }
        });
    return closed;
  }

  /**
   * Decides once: the records, deletions, suspensions and launches, and how the status reads after
   * them.
   */
  public Plan plan(PlanInput in) {
    GridSearch search = in.search();
    GridSearchSpec spec = search.getSpec();
    GridSearchStatus previous = search.getStatus();
    long generation =
        search.getMetadata().getGeneration() == null ? 0 : search.getMetadata().getGeneration();
    Goal goal = spec.objective().goal();

    // Without a grid nothing can have been launched (parameters are immutable): the status says
    // why, and that is all.
    if (in.grid().isEmpty()) {
      String why = in.invalid().orElse("spec.parameters: no grid");
      GridSearchStatus status =
          GridSearchStatus.builder()
              .observedGeneration(generation)
              .phase(Phase.Failed)
              .launched(0L)
              .progress("0/0")
              .trials(new TrialCounts(0, 0, 0, 0, 0, 0))
              .leaderboard(List.of())
              .startTime(previous == null ? null : previous.startTime())
              .completionTime(
                  previous != null && previous.completionTime() != null
                      ? previous.completionTime()
                      : in.now().toString())
              .conditions(
                  new Conditions(
                          previous == null ? null : previous.conditions(), generation, in.now())
                      .add(READY, false, Reason.INVALID, why)
                      .add(FAILED, true, Reason.INVALID, why)
                      .build())
              .build();
      return new Plan(
          List.of(),
          List.of(),
          List.of(),
          List.of(),
          List.of(),
          List.of(),
          List.of(),
          Optional.empty(),
          done -> status);
    }
    Grid grid = in.grid().get();
    TrialLayout layout = spec.layout();
    long gridSize = grid.size().getAsLong();
    long total = total(spec, grid);
    Set<Long> liveIndexes = liveIndexes(in);
    long launched = frontier(in, liveIndexes);

    // What finished since the last records: final live Jobs without a record, and Jobs deleted by
    // someone else.
    List<ResultRecord> newRecords = new ArrayList<>();
    List<TrialObservation> unfinished = new ArrayList<>();
    List<TrialObservation> unrecorded = new ArrayList<>();
    for (TrialObservation obs : in.live()) {
      if (!obs.isFinal()) {
        unfinished.add(obs);
      } else if (!in.results().isRecorded(obs.index())) {
        unrecorded.add(obs);
        newRecords.add(
            record(
                grid,
                layout,
                obs.index(),
                obs.job(),
                obs.state(),
                obs.value(),
                obs.metrics(),
                obs.reason(),
                obs.message(),
                obs.startTime(),
                obs.finishTime()));
      }
    }
    for (long index : in.deleted()) {
      newRecords.add(
          record(
              grid,
              layout,
              index,
              TrialNames.jobName(search.getMetadata().getName(), index),
              TrialState.Failed,
              null,
              null,
              "JobDeleted",
              "the trial's Job was deleted before it finished",
              null,
              in.now()));
    }
    // Outcome unknown: Stopped, so a deleted ConfigMap cannot push the search over maxFailedTrials.
    for (long index : in.lost()) {
      newRecords.add(
          record(
              grid,
              layout,
              index,
              TrialNames.jobName(search.getMetadata().getName(), index),
              TrialState.Stopped,
              null,
              null,
              ResultRecord.RECORD_LOST,
              "the trial's record was in a results ConfigMap that was deleted, and its Job is gone: its outcome is unknown",
              null,
              in.now()));
    }

    // Completion, judged with every outcome known now: a finished search stays finished; else the
    // rules of API.md.
    List<PointRecord> knownPoints = closedPoints(grid, spec, in.results(), newRecords, false);
    Tally known = tally(in.results(), newRecords, knownPoints, goal);
    Instant started =
        previous == null || previous.startTime() == null
            ? null
            : Instant.parse(previous.startTime());
    BudgetUse budget =
        new BudgetUse(
            spec.budget(),
            started,
            in.now(),
            known.finishedSeconds(),
            unfinished,
            in.resources().perTrial());
    Optional<Completion> completion =
        previousCompletion(previous)
            .or(
                () ->
                    in.invalid()
                        .map(why -> new Completion(Phase.Failed, FAILED, Reason.INVALID, why)))
            .or(() -> in.nameConflict().map(Planner::nameConflict))
            .or(() -> tooManyFailures(spec, known.failures(), newRecords))
            .or(() -> goalReached(spec, known.best()))
            .or(
                () ->
                    unfinished.isEmpty() && launched >= total
                        ? Optional.of(
                            ended(
                                spec,
                                known,
                                0,
                                Reason.GRID_EXHAUSTED,
                                "all " + total + " trials finished"))
                        : Optional.empty())
            .or(
                () ->
                    budget
                        .exhausted()
                        .map(
                            why ->
                                ended(
                                    spec, known, unfinished.size(), Reason.BUDGET_EXHAUSTED, why)));

    // Outcomes their Jobs still hold may wait a moment to be stored together (each write re-sends
    // the whole shard),
    // unless the search ends now; until stored, the status does not count them. Fewer outcomes
    // cannot end a search
    // that all of them do not end, and resource-hours budgets count every finished trial at once.
    Optional<Duration> recordAfter =
        completion.isEmpty()
                && unrecorded.size() == newRecords.size()
                && (spec.budget() == null || spec.budget().resourceHours() == null)
            ? recordAfter(unrecorded, in.now())
            : Optional.empty();
    if (recordAfter.isPresent()) {
      newRecords.clear();
    }

    List<String> delete = new ArrayList<>();
    if (completion.isPresent()) {
      for (TrialObservation obs : unfinished) {
        newRecords.add(
            record(
                grid,
                layout,
                obs.index(),
                obs.job(),
                TrialState.Stopped,
                null,
                null,
                completion.get().stopReason(),
                "stopped: " + completion.get().message(),
                obs.startTime(),
                in.now()));
        delete.add(obs.job());
      }
      unfinished.clear();
    }
    // Waiting records, or the trials stopped at the end (and the points they cut short), change
    // what
    // is stored now.
    boolean asKnown = recordAfter.isEmpty() && completion.isEmpty();
    List<PointRecord> newPoints =
        asKnown
            ? knownPoints
            : closedPoints(grid, spec, in.results(), newRecords, completion.isPresent());
    Tally stored = asKnown ? known : tally(in.results(), newRecords, newPoints, goal);
    // Finished Jobs go once their record is stored (or is being stored now); the best point's Jobs
    // stay. A trial failed for its disruptions still runs in its Job, so that Job goes even with
    // cleanup Keep.
    boolean keep =
        spec.cleanup() != null && spec.cleanup().finishedJobs() == Cleanup.FinishedJobs.Keep;
    long bestPoint = stored.best().map(PointRecord::point).orElse(-1L);
    in.live().stream()
        .filter(TrialObservation::isFinal)
        .filter(o -> !o.terminating())
        .filter(o -> !keep || ResultRecord.TOO_MANY_DISRUPTIONS.equals(o.reason()))
        .filter(o -> recordAfter.isEmpty() || in.results().isRecorded(o.index()))
        .filter(o -> layout.point(o.index()) != bestPoint)
        .forEach(o -> delete.add(o.job()));

    // Suspension applies to Jobs we manage ourselves; with Kueue, Kueue owns the Jobs' suspend
    // field.
    boolean suspend = Boolean.TRUE.equals(spec.suspend()) && completion.isEmpty();
    List<String> toSuspend = new ArrayList<>();
    List<String> toResume = new ArrayList<>();
    if (spec.queueName() == null) {
      for (TrialObservation obs : unfinished) {
        if (suspend && !obs.suspended()) {
          toSuspend.add(obs.job());
        } else if (!suspend && obs.suspended()) {
          toResume.add(obs.job());
        }
      }
    }

    List<Long> launch = List.of();
    if (completion.isEmpty() && !suspend) {
      long n = Math.min(slots(spec, unfinished.size(), total, launched), in.launchLimit());
      List<Long> next = new ArrayList<>();
      for (long i = launched; next.size() < n && i < total; i++) {
        if (!accounted(in, liveIndexes, i)) {
          next.add(i);
        }
      }
      launch = List.copyOf(next);
    }

    List<ShardWrite> writes =
        place(search.getMetadata().getName(), in.results(), newRecords, newPoints);
    long running = unfinished.stream().filter(o -> o.state() == TrialState.Running).count();
    long finished = stored.counts().values().stream().mapToLong(Long::longValue).sum();
    long records = in.results().records() + newRecords.size();
    List<String> shardNames =
        new ArrayList<>(
            new LinkedHashSet<>(
                concat(in.results().names(), writes.stream().map(ShardWrite::name).toList())));
    long unfinishedCount = unfinished.size();
    List<Long> launching = launch;
    Optional<GridSearchStatus.BudgetStatus> budgetStatus =
        new BudgetUse(
                spec.budget(),
                started,
                in.now(),
                stored.finishedSeconds(),
                unfinished,
                in.resources().perTrial())
            .status();
    Preflight preflight =
        preflight(spec, in.resources(), finished, stored.finishedSeconds(), total - finished);
    Optional<Duration> wake = completion.isPresent() ? Optional.empty() : budget.wakeAfter();
    // The top holds every point better than its last, so its ranks are the global ones.
    Map<Long, Integer> ranks = Leaderboard.ranks(stored.top(), goal);

    // The status as it reads after the launches that were actually made; a name conflict ends the
    // search.
    java.util.function.Function<Done, GridSearchStatus> assembly =
        done -> {
          Conditions conditions =
              new Conditions(previous == null ? null : previous.conditions(), generation, in.now());
          Optional<Completion> end =
              completion.or(() -> done.nameConflict().map(Planner::nameConflict));
          Set<Long> created = Set.copyOf(launching.subList(0, done.created()));
          long launchedAfter = launched;
          while (created.contains(launchedAfter) || accounted(in, liveIndexes, launchedAfter)) {
            launchedAfter++;
          }
          long pending = unfinishedCount - running + done.created();
          Phase phase;
          if (end.isPresent()) {
            phase = end.get().phase();
            boolean invalid = Reason.INVALID.equals(end.get().reason());
            conditions.add(
                READY,
                !invalid,
                invalid ? Reason.INVALID : phase.name(),
                end.get().message()
                    + (previous != null
                            && previous.observedGeneration() != null
                            && previous.observedGeneration() < generation
                        ? "; the search had finished, so the spec change has no effect"
                        : ""));
            conditions.add(end.get().type(), true, end.get().reason(), end.get().message());
          } else if (suspend) {
            phase = Phase.Suspended;
            String message =
                "suspended: nothing new is launched; "
                    + unfinishedCount
                    + " unfinished trials are suspended";
            conditions
                .add(READY, true, Reason.SUSPENDED, message)
                .add(SUSPENDED, true, Reason.SUSPENDED, message);
          } else {
            phase = launchedAfter == 0 ? Phase.Pending : Phase.Running;
            conditions.add(
                READY,
                true,
                phase.name(),
                running
                    + " running, "
                    + pending
                    + " pending, "
                    + (total - finished - running - pending)
                    + " not started");
            in.quotaLimited()
                .ifPresent(why -> conditions.add(QUOTA_LIMITED, true, Reason.EXCEEDED_QUOTA, why));
          }
          recordsLost(previous, in)
              .ifPresent(
                  why -> conditions.add(RECORDS_LOST, true, Reason.RESULTS_CONFIGMAP_DELETED, why));
          return GridSearchStatus.builder()
              .observedGeneration(generation)
              .phase(phase)
              .gridSize(gridSize)
              .totalTrials(total)
              .launched(launchedAfter)
              .progress(finished + "/" + total)
              .trials(
                  new TrialCounts(
                      pending,
                      running,
                      stored.counts().getOrDefault(TrialState.Succeeded, 0L),
                      stored.counts().getOrDefault(TrialState.Failed, 0L),
                      stored.counts().getOrDefault(TrialState.MetricsMissing, 0L),
                      stored.counts().getOrDefault(TrialState.Stopped, 0L)))
              .points(pointCounts(stored, total / layout.perPoint()))
              .best(stored.best().map(b -> summary(spec, search, b, 1, true)).orElse(null))
              .leaderboard(
                  stored.top().stream()
                      .limit(spec.leaderboardSize() == null ? 5 : spec.leaderboardSize())
                      .map(p -> summary(spec, search, p, ranks.get(p.point()), false))
                      .toList())
              .results(new ResultsRef(shardNames, records))
              .startTime(
                  previous != null && previous.startTime() != null
                      ? previous.startTime()
                      : launchedAfter > 0 ? in.now().toString() : null)
              .completionTime(
                  end.isPresent()
                      ? (previous != null && previous.completionTime() != null
                          ? previous.completionTime()
                          : in.now().toString())
                      : null)
              .budget(budgetStatus.orElse(null))
              .preflight(preflight)
              .conditions(conditions.build())
              .build();
        };
    return new Plan(
        newRecords,
        newPoints,
        writes,
        delete,
        toSuspend,
        toResume,
        launch,
        recordAfter.isPresent() && (wake.isEmpty() || recordAfter.get().compareTo(wake.get()) < 0)
            ? recordAfter
            : wake,
        assembly);
  }

  private static PointCounts pointCounts(Tally t, long total) {
    Map<PointState, Long> c = t.pointCounts();
    return new PointCounts(
        total,
        c.values().stream().mapToLong(Long::longValue).sum(),
        c.getOrDefault(PointState.Succeeded, 0L),
        c.getOrDefault(PointState.Failed, 0L),
        c.getOrDefault(PointState.Infeasible, 0L),
        c.getOrDefault(PointState.Stopped, 0L));
  }

  /**
   * A point for the status: with one trial per point its trial (and, for best, its Job) name it;
   * with repeats or folds its std and n show the spread.
   */
  private static PointSummary summary(
      GridSearchSpec spec, GridSearch search, PointRecord p, int rank, boolean best) {
    TrialLayout layout = spec.layout();
    boolean single = layout.perPoint() == 1;
    long trial = layout.firstTrial(p.point());
    MetricStats stats = p.stats(spec.objective().metric());
    Map<String, Double> metrics = null;
    if (best) {
      metrics = new LinkedHashMap<>();
      for (var e : p.metrics().entrySet()) {
        metrics.put(e.getKey(), e.getValue().get(spec.objective().aggregateOrDefault()));
      }
    }
    return new PointSummary(
        p.point(),
        single ? trial : null,
        single && best ? TrialNames.jobName(search.getMetadata().getName(), trial) : null,
        p.value(),
        single || stats == null ? null : stats.std(),
        single ? null : p.succeeded(),
        rank,
        p.params(),
        metrics);
  }

  /**
   * How a best point reads in messages: "trial 5 (acc=0.9)", or "point 2 (mean acc=0.9 ± 0.01,
   * n=6)".
   */
  private static String describe(GridSearchSpec spec, PointRecord p) {
    TrialLayout layout = spec.layout();
    String metric = spec.objective().metric();
    if (layout.perPoint() == 1) {
      return "trial "
          + layout.firstTrial(p.point())
          + " ("
          + metric
          + "="
          + ValueFormat.render(p.value())
          + ")";
    }
    MetricStats stats = p.stats(metric);
    return "point "
        + p.point()
        + " ("
        + spec.objective().aggregateOrDefault()
        + " "
        + metric
        + "="
        + ValueFormat.render(p.value())
        + " ± "
        + ValueFormat.render(stats == null ? 0 : stats.std())
        + ", n="
        + p.succeeded()
        + ")";
  }

  private static Completion nameConflict(String why) {
    return new Completion(
        Phase.Failed, FAILED, Reason.NAME_CONFLICT, why + "; nothing of it was touched");
  }

  /**
   * The search ran its course (the grid, or a budget): Succeeded with its best point, or Failed
   * when no trial succeeded or no point could be ranked, since a search without a result must not
   * look healthy.
   */
  private static Completion ended(
      GridSearchSpec spec, Tally known, long stopping, String reason, String why) {
    if (known.best().isPresent()) {
      return new Completion(
          Phase.Succeeded, COMPLETE, reason, why + "; best: " + describe(spec, known.best().get()));
    }
    Map<TrialState, Long> c = known.counts();
    Map<PointState, Long> points = known.pointCounts();
    if (c.getOrDefault(TrialState.Succeeded, 0L) > 0) {
      // Trials succeeded, yet no point counts: each had a failed trial or broke a constraint.
      return new Completion(
          Phase.Failed,
          FAILED,
          Reason.NO_POINT_RANKED,
          reason,
          why
              + "; no point could be ranked ("
              + points.getOrDefault(PointState.Failed, 0L)
              + " failed, "
              + points.getOrDefault(PointState.Infeasible, 0L)
              + " infeasible, "
              + points.getOrDefault(PointState.Stopped, 0L)
              + " stopped)");
    }
    // The trials stopped now keep the real cause (e.g. BudgetExhausted) as their reason.
    return new Completion(
        Phase.Failed,
        FAILED,
        Reason.NO_TRIAL_SUCCEEDED,
        reason,
        why
            + "; no trial succeeded ("
            + c.getOrDefault(TrialState.Failed, 0L)
            + " failed, "
            + c.getOrDefault(TrialState.MetricsMissing, 0L)
            + " without metrics, "
            + (c.getOrDefault(TrialState.Stopped, 0L) + stopping)
            + " stopped)");
  }

  /**
   * When to store the outcomes of finished Jobs, if not now: once the first of them has waited
   * {@link #RECORD_DELAY}, or at once when {@link #RECORD_BATCH} wait. Only outcomes a live Job
   * still holds can wait.
   */
  private static Optional<Duration> recordAfter(List<TrialObservation> unrecorded, Instant now) {
    if (unrecorded.isEmpty() || unrecorded.size() >= RECORD_BATCH) {
      return Optional.empty();
    }
    Instant due = Instant.MAX;
    for (TrialObservation o : unrecorded) {
      if (o.finishTime() == null) {
        return Optional.empty();
      }
      Instant d = o.finishTime().plus(RECORD_DELAY);
      due = d.isBefore(due) ? d : due;
    }
    return due.isAfter(now) ? Optional.of(Duration.between(now, due)) : Optional.empty();
  }

  /**
   * Once records were lost the condition stays, so the status keeps saying the results are
   * incomplete. The stored RecordLost records keep it too, should the status write that first said
   * so not have landed.
   */
  private static Optional<String> recordsLost(GridSearchStatus previous, PlanInput in) {
    return in.recordsLost()
        .or(
            () ->
                previous == null || previous.conditions() == null
                    ? Optional.empty()
                    : previous.conditions().stream()
                        .filter(c -> RECORDS_LOST.equals(c.getType()))
                        .findFirst()
                        .map(io.fabric8.kubernetes.api.model.Condition::getMessage))
        .or(
            () ->
                in.results().lost() == 0
                    ? Optional.empty()
                    : Optional.of(
                        "results records were deleted: "
                            + in.results().lost()
                            + " trials are recorded Stopped with reason "
                            + ResultRecord.RECORD_LOST));
  }

  /**
   * The resources side of the plan; null when what a trial requests is not known (e.g. an invalid
   * template).
   */
  private static Preflight preflight(
      GridSearchSpec spec,
      TrialResources resources,
      long finished,
      double finishedSeconds,
      long remaining) {
    if (resources.perTrial().isEmpty()) {
      return null;
    }
    int parallelism = spec.parallelism() == null ? 1 : spec.parallelism();
    Map<String, String> estimate = null;
    if (finished > 0 && remaining > 0) {
      BigDecimal hoursLeft = BigDecimal.valueOf(finishedSeconds / finished * remaining / 3600.0);
      estimate = new LinkedHashMap<>();
      for (var e : resources.perTrial().entrySet()) {
        estimate.put(e.getKey(), Amounts.format(e.getKey(), e.getValue().multiply(hoursLeft)));
      }
    }
    return new Preflight(
        Amounts.format(resources.perTrial(), BigDecimal.ONE),
        Amounts.format(resources.perTrial(), BigDecimal.valueOf(parallelism)),
        resources.quotas() ? resources.peakShortage().isEmpty() : null,
        resources.peakShortage().orElse(null),
        estimate);
  }

  /**
   * How a search ends: its phase, condition type and reason, and the reason given to the trials it
   * stops.
   */
  private record Completion(
      Phase phase, String type, String reason, String stopReason, String message) {
    Completion(Phase phase, String type, String reason, String message) {
      this(phase, type, reason, reason, message);
    }
  }

  private static Optional<Completion> previousCompletion(GridSearchStatus previous) {
    if (previous == null || previous.completionTime() == null || previous.conditions() == null) {
      return Optional.empty();
    }
    Phase phase = previous.phase();
    if (phase != Phase.Succeeded && phase != Phase.Failed) {
      return Optional.empty();
    }
    String type = phase == Phase.Succeeded ? COMPLETE : FAILED;
    return previous.conditions().stream()
        .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus()))
        .findFirst()
        .map(c -> new Completion(phase, type, c.getReason(), c.getMessage()));
  }

  private static Optional<Completion> tooManyFailures(
      GridSearchSpec spec, long failures, List<ResultRecord> newRecords) {
    if (spec.maxFailedTrials() == null || failures <= spec.maxFailedTrials()) {
      return Optional.empty();
    }
    String last =
        newRecords.stream()
            .filter(r -> r.state().isFailure())
            .reduce((a, b) -> b)
            .map(r -> "; last: trial " + r.trial() + " (" + r.reason() + ")")
            .orElse("");
    return Optional.of(
        new Completion(
            Phase.Failed,
            FAILED,
            Reason.TOO_MANY_FAILED_TRIALS,
            failures
                + " trials failed, more than maxFailedTrials "
                + spec.maxFailedTrials()
                + last));
  }

  private static Optional<Completion> goalReached(GridSearchSpec spec, Optional<PointRecord> best) {
    Objective objective = spec.objective();
    if (objective.target() == null || best.isEmpty()) {
      return Optional.empty();
    }
    double value = best.get().value();
    boolean reached =
        objective.goal() == Goal.Maximize
            ? value >= objective.target()
            : value <= objective.target();
    if (!reached) {
      return Optional.empty();
    }
    return Optional.of(
        new Completion(
            Phase.Succeeded,
            COMPLETE,
            Reason.GOAL_REACHED,
            describe(spec, best.get())
                + " reached the target: "
                + (objective.goal() == Goal.Maximize ? ">= " : "<= ")
                + ValueFormat.render(objective.target())));
  }

  private ResultRecord record(
      Grid grid,
      TrialLayout layout,
      long index,
      String job,
      TrialState state,
      Double value,
      Map<String, Double> metrics,
      String reason,
      String message,
      Instant start,
      Instant finish) {
    return new ResultRecord(
        index,
        job,
        state,
        grid.assignment(layout.point(index)).asMap(),
        value,
        metrics,
        reason,
        message,
        start == null ? null : start.toString(),
        finish == null ? null : finish.toString(),
        layout.point(index),
        layout.repeat(index),
        layout.fold(index));
  }

  private List<ShardWrite> place(
      String name, ResultsView results, List<ResultRecord> records, List<PointRecord> points) {
    Map<String, String> entries = new LinkedHashMap<>();
    records.forEach(r -> entries.put(Long.toString(r.trial()), codec.encode(r)));
    points.forEach(p -> entries.put(ResultShards.pointKey(p.point()), codec.encodePoint(p)));
    return ResultShards.place(name, results.lastOrdinal(), results.lastBytes(), entries);
  }

  private static <T> List<T> concat(List<? extends T> a, List<? extends T> b) {
    List<T> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
