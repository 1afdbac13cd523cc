package dev.gridsearch.operator.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.gridsearch.operator.api.GridSearchSpec;
import dev.gridsearch.operator.api.GridSearchStatus;
import dev.gridsearch.operator.api.GridSearchStatus.Phase;
import dev.gridsearch.operator.grid.Grid;
import dev.gridsearch.operator.observe.Observation;
import dev.gridsearch.operator.observe.Observer;
import dev.gridsearch.operator.observe.Reads;
import dev.gridsearch.operator.observe.Snapshot;
import dev.gridsearch.operator.results.PointRecord;
import dev.gridsearch.operator.results.PointState;
import dev.gridsearch.operator.results.ResultRecord;
import dev.gridsearch.operator.results.ResultShards;
import dev.gridsearch.operator.results.ResultsView;
import dev.gridsearch.operator.results.ShardSummary;
import dev.gridsearch.operator.trial.TrialNames;
import dev.gridsearch.operator.trial.TrialObservation;
import dev.gridsearch.operator.trial.TrialRenderer;
import dev.gridsearch.operator.trial.TrialState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The planner in a simulated world: random small specs and random event orders (trials start,
 * finish, are deleted out of band; records become visible late; the operator restarts or crashes
 * before its status write; suspend toggles). Each reconcile observes through the real {@link
 * Observer} (the world plays the caches and the API server), every Plan is fed back into the world,
 * and the invariants are checked after every reconcile.
 */
class PlannerPropertyTest {

  /** A random small spec: everything the world needs to build the GridSearch. */
  record Spec(
      int gridSize,
      int parallelism,
      Integer maxFailedTrials,
      Double target,
      Integer maxTrials,
      boolean suspended,
      int repeats,
      int folds) {

    PlanFixture fixture() {
      List<String> lines = new ArrayList<>();
      lines.add("parallelism: " + parallelism);
      lines.add("suspend: " + suspended);
      if (maxFailedTrials != null) {
        lines.add("maxFailedTrials: " + maxFailedTrials);
      }
      if (target != null) {
        lines.add("objective: {metric: acc, goal: Maximize, target: " + target + "}");
      }
      if (maxTrials != null) {
        lines.add("budget: {maxTrials: " + maxTrials + "}");
      }
      lines.add("repeats: " + repeats);
      lines.add("folds: " + folds);
      return PlanFixture.grid(gridSize, 1, lines.toArray(String[]::new));
    }

    int perPoint() {
      return repeats * folds;
    }

    /** Whole points only: as many as maxTrials holds. */
    long total() {
      long points = maxTrials == null ? gridSize : Math.min(gridSize, maxTrials / perPoint());
      return points * perPoint();
    }
  }

  enum Kind {
    NOTHING,
    START,
    FINISH,
    DELETE,
    REVEAL,
    RESTART,
    TOGGLE_SUSPEND,
    CHANGE_LIMITS,
    CRASH_BEFORE_STATUS
  }

  enum Outcome {
    SUCCEEDED,
    FAILED,
    METRICS_MISSING
  }

  /**
   * One step of the world: an event, then a reconcile. {@code pick} chooses which trial the event
   * touches, {@code visibleAtOnce} whether this reconcile's records reach the informer cache before
   * the next one.
   */
  record Step(
      Kind kind, int pick, Outcome outcome, double value, int launchLimit, boolean visibleAtOnce) {}

  @Provide
  Arbitrary<Spec> specs() {
    return Combinators.combine(
            Arbitraries.integers().between(1, 60),
            Arbitraries.integers().between(1, 10),
            Arbitraries.integers().between(0, 5).injectNull(0.5),
            Arbitraries.of(0.9, 0.97, 0.999).injectNull(0.5),
            Arbitraries.integers().between(6, 70).injectNull(0.6),
            Arbitraries.of(true, false),
            Arbitraries.of(1, 1, 2, 3),
            Arbitraries.of(1, 1, 2))
        .as(Spec::new);
  }

  @Provide
  Arbitrary<List<Step>> steps() {
    Arbitrary<Kind> kind =
        Arbitraries.frequency(
            net.jqwik.api.Tuple.of(2, Kind.NOTHING),
            net.jqwik.api.Tuple.of(6, Kind.START),
            net.jqwik.api.Tuple.of(8, Kind.FINISH),
            net.jqwik.api.Tuple.of(2, Kind.DELETE),
            net.jqwik.api.Tuple.of(2, Kind.REVEAL),
            net.jqwik.api.Tuple.of(1, Kind.RESTART),
            net.jqwik.api.Tuple.of(1, Kind.TOGGLE_SUSPEND),
            net.jqwik.api.Tuple.of(1, Kind.CHANGE_LIMITS),
            net.jqwik.api.Tuple.of(1, Kind.CRASH_BEFORE_STATUS));
    Arbitrary<Integer> launchLimit =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(6, Arbitraries.just(Integer.MAX_VALUE)),
            net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0, 3)));
    return Combinators.combine(
            kind,
            Arbitraries.integers().between(0, 1000),
            Arbitraries.of(Outcome.class),
            Arbitraries.doubles().between(0, 1).ofScale(3),
            launchLimit,
            Arbitraries.of(true, false))
        .as(Step::new)
        .list()
        .ofMaxSize(200);
  }

  @Property(tries = 400)
  void thePlannerKeepsItsPromisesWhateverHappens(
      @ForAll("specs") Spec spec, @ForAll("steps") List<Step> steps, @ForAll long drainSeed) {
    World world = new World(spec);
    for (Step step : steps) {
      world.event(step);
      world.reconcile(
          step.launchLimit(), step.visibleAtOnce(), step.kind() == Kind.CRASH_BEFORE_STATUS);
      if (step.kind() == Kind.CRASH_BEFORE_STATUS) {
        world.restart();
        world.reconcile(Integer.MAX_VALUE, true, false);
      }
    }
    world.drain(new Random(drainSeed));
  }

  /**
   * The cluster as the planner's inputs describe it: live Jobs, stored records, the stored status.
   */
  static final class World {
    private final Spec spec;
    private final PlanFixture fixture;
    private final Planner planner = new Planner(PlanFixture.CODEC);
    private final Map<Long, Trial> jobs = new TreeMap<>();
    private final Map<Long, ResultRecord> stored = new TreeMap<>();
    private final Set<Long> visible = new HashSet<>();
    private final Map<Long, PointRecord> storedPoints = new TreeMap<>();
    private final Set<Long> visiblePoints = new HashSet<>();
    private final Set<Long> everLaunched = new HashSet<>();
    private Instant now = PlanFixture.NOW;
    private long generation = 1;
    private Phase finalPhase;

    World(Spec spec) {
      this.spec = spec;
      this.fixture = spec.fixture();
    }

    /** A live Job: its state as the Job and its pod show it. */
    static final class Trial {
      final long index;
      TrialState state = TrialState.Pending;
      boolean suspended;
      Double value;

      Trial(long index) {
        this.index = index;
      }
    }

    void event(Step step) {
      List<Trial> all = new ArrayList<>(jobs.values());
      List<Trial> pending =
          all.stream().filter(t -> t.state == TrialState.Pending && !t.suspended).toList();
      List<Trial> running =
          all.stream().filter(t -> t.state == TrialState.Running && !t.suspended).toList();
      switch (step.kind()) {
        case START -> pick(pending, step.pick()).ifPresent(t -> t.state = TrialState.Running);
        case FINISH ->
            pick(running, step.pick()).ifPresent(t -> finish(t, step.outcome(), step.value()));
        case DELETE -> pick(all, step.pick()).ifPresent(t -> jobs.remove(t.index));
        case REVEAL -> {
          visible.addAll(stored.keySet());
          visiblePoints.addAll(storedPoints.keySet());
        }
        case RESTART -> restart();
        case TOGGLE_SUSPEND ->
            edit(
                !Boolean.TRUE.equals(spec().suspend()),
                spec().parallelism(),
                spec().maxFailedTrials());
        // The mutable limits change under a running (or finished) search.
        case CHANGE_LIMITS ->
            edit(
                spec().suspend(),
                1 + step.pick() % 10,
                step.pick() % 7 == 6 ? null : step.pick() % 7);
        case NOTHING, CRASH_BEFORE_STATUS -> {}
        default -> throw new IllegalStateException("unknown event " + step.kind());
      }
      now = now.plusSeconds(1);
    }

    /**
     * A restarted operator re-lists everything: its caches see every stored record. Only the status
     * survives.
     */
    void restart() {
      visible.addAll(stored.keySet());
      visiblePoints.addAll(storedPoints.keySet());
    }

    private GridSearchSpec spec() {
      return fixture.search.getSpec();
    }

    /** A user's edit of the mutable fields: a new generation. */
    void edit(boolean suspend, int parallelism, Integer maxFailedTrials) {
      GridSearchSpec s = spec();
      fixture.search.setSpec(
          new GridSearchSpec(
              s.parameters(),
              s.objective(),
              parallelism,
              maxFailedTrials,
              s.trialRetries(),
              suspend,
              s.budget(),
              s.queueName(),
              s.cleanup(),
              s.leaderboardSize(),
              s.trialTemplate(),
              s.repeats(),
              s.folds()));
      fixture.search.getMetadata().setGeneration(++generation);
    }

    private static void finish(Trial t, Outcome outcome, double value) {
      switch (outcome) {
        case SUCCEEDED -> {
          t.state = TrialState.Succeeded;
          t.value = value;
        }
        case FAILED -> t.state = TrialState.Failed;
        case METRICS_MISSING -> t.state = TrialState.MetricsMissing;
        default -> throw new IllegalStateException();
      }
    }

    private static <T> Optional<T> pick(List<T> from, int pick) {
      return from.isEmpty() ? Optional.empty() : Optional.of(from.get(pick % from.size()));
    }

    /**
     * One reconcile: the real Observer over this world's caches and API server, plan, check the
     * invariants, act.
     */
    Plan reconcile(int launchLimit, boolean visibleAtOnce, boolean loseStatusWrite) {
      Map<Long, TrialObservation> live = new LinkedHashMap<>();
      jobs.values().forEach(t -> live.put(t.index, observe(t)));
      Set<String> withPods =
          live.values().stream().map(TrialObservation::job).collect(Collectors.toSet());
      Snapshot snapshot =
          new Snapshot(
              fixture.search,
              live,
              withPods,
              Map.of(),
              view(visible, visiblePoints),
              List.of(),
              List.of(),
              now);
      Observation observed = new Observer().observe(snapshot, new WorldApi());
      Plan plan = planner.plan(observed.input().withLaunchLimit(launchLimit));
      checkAndApply(plan, launchLimit, visibleAtOnce);
      if (!loseStatusWrite) {
        fixture.search.setStatus(plan.status());
      }
      now = now.plusSeconds(1);
      return plan;
    }

    /** The API server of this world: it holds every stored record and every live Job. */
    private final class WorldApi implements Reads {
      @Override
      public TrialRenderer renderer(Grid g) {
        return null;
      }

      @Override
      public Optional<String> validate(TrialRenderer renderer) {
        return Optional.empty();
      }

      @Override
      public ResultsView freshResults() {
        return view(stored.keySet(), storedPoints.keySet());
      }

      @Override
      public Optional<TrialObservation> job(long index) {
        return Optional.ofNullable(jobs.get(index)).map(World.this::observe);
      }

      @Override
      public Optional<String> lastFailedCreate(String job) {
        return Optional.empty();
      }
    }

    private TrialObservation observe(Trial t) {
      boolean done = t.state.isFinal();
      return new TrialObservation(
          t.index,
          TrialNames.jobName("s", t.index),
          t.state,
          t.suspended,
          false,
          t.state == TrialState.Pending ? null : PlanFixture.NOW,
          done ? now : null,
          t.state == TrialState.Failed
              ? "BackoffLimitExceeded"
              : t.state == TrialState.MetricsMissing ? "NO_OBJECTIVE" : null,
          null,
          t.value == null ? null : Map.of("acc", t.value),
          t.value);
    }

    private ResultsView view(Set<Long> indexes, Set<Long> points) {
      if (indexes.isEmpty()) {
        return ResultsView.EMPTY;
      }
      Map<String, String> data = new LinkedHashMap<>();
      indexes.forEach(i -> data.put(Long.toString(i), PlanFixture.CODEC.encode(stored.get(i))));
      points.forEach(
          p ->
              data.put(
                  ResultShards.pointKey(p), PlanFixture.CODEC.encodePoint(storedPoints.get(p))));
      ShardSummary summary =
          ShardSummary.of(
              ResultShards.shardName("s", 0),
              "1",
              data,
              PlanFixture.CODEC,
              fixture.search.getSpec().objective().goal());
      return ResultsView.of(new TreeMap<>(Map.of(0, summary)));
    }

    private void checkAndApply(Plan plan, int launchLimit, boolean visibleAtOnce) {
      GridSearchStatus status = plan.status();
      String context =
          "spec "
              + spec
              + " now p="
              + spec().parallelism()
              + " maxFailed="
              + spec().maxFailedTrials()
              + " suspend="
              + spec().suspend()
              + ", plan "
              + plan.launch()
              + "/"
              + plan.delete()
              + ", status "
              + status.phase()
              + " "
              + status.progress()
              + " launched="
              + status.launched();

      // Records first; a trial's recorded outcome never changes once stored.
      for (ResultRecord r : plan.record()) {
        ResultRecord before = stored.get(r.trial());
        assertThat(before == null || before.state() == r.state())
            .as(
                "trial %d recorded as %s, then as %s; %s",
                r.trial(), before == null ? null : before.state(), r.state(), context)
            .isTrue();
        assertThat(everLaunched)
            .as("a record for a trial never launched; %s", context)
            .contains(r.trial());
        stored.put(r.trial(), r);
        if (visibleAtOnce) {
          visible.add(r.trial());
        }
      }
      // A point is recorded once, when its trials all are (or the search ends), as brute force
      // over its stored trial records computes it.
      boolean ending = status.phase() == Phase.Succeeded || status.phase() == Phase.Failed;
      for (PointRecord p : plan.points()) {
        assertThat(storedPoints)
            .as("point %d recorded twice; %s", p.point(), context)
            .doesNotContainKey(p.point());
        List<ResultRecord> trials = trialsOf(p.point());
        if (!ending) {
          assertThat(trials)
              .as("point %d recorded before its trials; %s", p.point(), context)
              .hasSize(spec.perPoint());
        }
        Expected e = expected(trials);
        assertThat(p.state()).as("point %d state; %s", p.point(), context).isEqualTo(e.state());
        if (e.mean() != null) {
          assertThat(p.value()).as("point %d mean", p.point()).isCloseTo(e.mean(), within(1e-12));
          assertThat(p.stats("acc").std())
              .as("point %d std", p.point())
              .isCloseTo(e.std(), within(1e-12));
          assertThat(p.succeeded()).isEqualTo(e.n());
        }
        storedPoints.put(p.point(), p);
        if (visibleAtOnce) {
          visiblePoints.add(p.point());
        }
      }
      for (String job : plan.delete()) {
        long index = indexOf(job);
        assertThat(stored)
            .as("Job %s deleted before its record was stored; %s", job, context)
            .containsKey(index);
        jobs.remove(index);
      }
      long unfinishedBefore = jobs.values().stream().filter(t -> !t.state.isFinal()).count();
      plan.suspend().forEach(job -> jobs.get(indexOf(job)).suspended = true);
      plan.resume().forEach(job -> jobs.get(indexOf(job)).suspended = false);

      // Launching: never after the end, never twice, never beyond the limits.
      if (finalPhase != null) {
        assertThat(plan.launch()).as("launch after the search finished; %s", context).isEmpty();
        assertThat(status.phase())
            .as("a finished search changed phase; %s", context)
            .isEqualTo(finalPhase);
      }
      if (Boolean.TRUE.equals(spec().suspend())) {
        assertThat(plan.launch()).as("launch while suspended; %s", context).isEmpty();
      }
      assertThat(plan.launch().size())
          .as("launch beyond the launch limit; %s", context)
          .isLessThanOrEqualTo(launchLimit);
      for (long index : plan.launch()) {
        assertThat(everLaunched.add(index))
            .as("index %d launched twice; %s", index, context)
            .isTrue();
        assertThat(index)
            .as("index beyond totalTrials; %s", context)
            .isBetween(0L, spec.total() - 1);
        jobs.put(index, new Trial(index));
      }
      long unfinished = jobs.values().stream().filter(t -> !t.state.isFinal()).count();
      // Lowering parallelism stops no trial, so the bound is the new parallelism or what was
      // already unfinished.
      assertThat(unfinished)
          .as("unfinished trials above parallelism; %s", context)
          .isLessThanOrEqualTo(
              Math.max(spec().parallelism(), plan.launch().isEmpty() ? unfinishedBefore : 0));

      // The status claims no more than the world holds.
      String[] progress = status.progress().split("/");
      long finished = Long.parseLong(progress[0]);
      long total = Long.parseLong(progress[1]);
      assertThat(total)
          .as("progress total; %s", context)
          .isEqualTo(spec.total())
          .isEqualTo(status.totalTrials());
      assertThat(finished)
          .as("progress finished; %s", context)
          .isLessThanOrEqualTo(total)
          .isLessThanOrEqualTo(stored.size());
      var t = status.trials();
      assertThat(t.succeeded() + t.failed() + t.metricsMissing() + t.stopped())
          .as("counts vs progress; %s", context)
          .isEqualTo(finished);
      assertThat(status.launched())
          .as("launched; %s", context)
          .isLessThanOrEqualTo(total)
          .isGreaterThanOrEqualTo((long) everLaunched.size());
      assertThat(status.results().records())
          .as("records claimed; %s", context)
          .isLessThanOrEqualTo(stored.size());
      // The best point is the brute-force best of the recorded points, and the counts are theirs.
      PointRecord best =
          storedPoints.values().stream()
              .filter(p -> p.state() == PointState.Succeeded)
              .min(
                  java.util.Comparator.comparing((PointRecord p) -> -p.value())
                      .thenComparingLong(PointRecord::point))
              .orElse(null);
      if (status.best() != null || best != null) {
        assertThat(status.best()).as("best; %s", context).isNotNull();
        assertThat(status.best().point()).as("best point; %s", context).isEqualTo(best.point());
        assertThat(status.best().value()).isEqualTo(best.value());
      }
      assertThat(status.points().finished())
          .as("points finished; %s", context)
          .isEqualTo(storedPoints.size());
      assertThat(status.points().total()).isEqualTo(spec.total() / spec.perPoint());
      assertThat(status.points().ranked())
          .isEqualTo(
              storedPoints.values().stream()
                  .filter(p -> p.state() == PointState.Succeeded)
                  .count());

      if (status.phase() == Phase.Succeeded || status.phase() == Phase.Failed) {
        finalPhase = status.phase();
        // Nothing is lost at the end: every launched trial has its record, and nothing is left
        // running.
        assertThat(stored.keySet())
            .as("records at completion; %s", context)
            .containsAll(everLaunched);
        assertThat(unfinished).as("unfinished at completion; %s", context).isZero();
        Set<Long> launchedPoints = new HashSet<>();
        everLaunched.forEach(i -> launchedPoints.add(i / spec.perPoint()));
        assertThat(storedPoints.keySet())
            .as("every launched point has its record at completion; %s", context)
            .containsAll(launchedPoints);
        boolean exhausted =
            status.conditions().stream().anyMatch(c -> "GridExhausted".equals(c.getReason()));
        if (exhausted) {
          assertThat(finished)
              .as("GridExhausted before every trial finished; %s", context)
              .isEqualTo(total);
        }
      }
    }

    /**
     * Suspend off, caches caught up, every trial finishes promptly: the search must end within a
     * bounded time.
     */
    void drain(Random random) {
      if (Boolean.TRUE.equals(spec().suspend())) {
        edit(false, spec().parallelism(), spec().maxFailedTrials());
      }
      restart();
      long bound = spec.total() + 5;
      for (long step = 0; step < bound && finalPhase == null; step++) {
        for (Trial t : jobs.values()) {
          if (!t.state.isFinal() && !t.suspended) {
            finish(
                t,
                Outcome.values()[random.nextInt(Outcome.values().length)],
                Math.round(random.nextDouble() * 1000) / 1000.0);
          }
        }
        reconcile(Integer.MAX_VALUE, random.nextBoolean(), false);
      }
      assertThat(finalPhase)
          .as(
              "the search did not finish within %d reconciles of prompt trials; spec %s, status %s",
              bound, spec, fixture.search.getStatus())
          .isNotNull();
      // Once finished, further reconciles change nothing.
      restart();
      Plan again = reconcile(Integer.MAX_VALUE, true, false);
      assertThat(again.launch()).isEmpty();
      assertThat(again.record()).isEmpty();
    }

    private List<ResultRecord> trialsOf(long point) {
      return stored.values().stream().filter(r -> r.trial() / spec.perPoint() == point).toList();
    }

    record Expected(PointState state, Double mean, Double std, int n) {}

    /** What a point's record must say, computed without the code under test. */
    private Expected expected(List<ResultRecord> trials) {
      boolean failed = trials.stream().anyMatch(r -> r.state().isFailure());
      boolean incomplete =
          trials.size() < spec.perPoint()
              || trials.stream().anyMatch(r -> r.state() == TrialState.Stopped);
      List<Double> values =
          trials.stream()
              .filter(r -> r.state() == TrialState.Succeeded)
              .map(ResultRecord::value)
              .toList();
      Double mean = null;
      Double std = null;
      if (!values.isEmpty()) {
        double sum = 0;
        for (double v : values) {
          sum += v;
        }
        mean = sum / values.size();
        double squares = 0;
        for (double v : values) {
          squares += (v - mean) * (v - mean);
        }
        std = Math.sqrt(squares / values.size());
      }
      PointState state =
          failed ? PointState.Failed : incomplete ? PointState.Stopped : PointState.Succeeded;
      return new Expected(state, mean, std, values.size());
    }

    private long indexOf(String job) {
      return jobs.keySet().stream()
          .filter(i -> TrialNames.jobName("s", i).equals(job))
          .findFirst()
          .orElseThrow(
              () ->
                  new AssertionError(
                      "the plan names a Job that does not exist: "
                          + job
                          + " (live: "
                          + jobs.keySet().stream()
                              .map(String::valueOf)
                              .collect(Collectors.joining(","))
                          + ")"));
    }
  }
}
