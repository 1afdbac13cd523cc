package dev.gridsearch.operator.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridsearch.operator.api.GridSearchStatus;
import dev.gridsearch.operator.grid.Grid;
import dev.gridsearch.operator.plan.PlanFixture;
import dev.gridsearch.operator.plan.Planner;
import dev.gridsearch.operator.results.ResultRecord;
import dev.gridsearch.operator.results.ResultsView;
import dev.gridsearch.operator.trial.TrialObservation;
import dev.gridsearch.operator.trial.TrialRenderer;
import dev.gridsearch.operator.trial.TrialState;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The judgements of one reconcile's observation, from caches and a scripted API server. */
class ObserverTest {
  private final Observer observer = new Observer();

  /**
   * An API server that holds {@code jobs} and {@code fresh}; it counts the Jobs it was asked for.
   */
  private static class Api implements Reads {
    final Map<Long, TrialObservation> jobs = new HashMap<>();
    ResultsView fresh = ResultsView.EMPTY;
    Optional<String> validation = Optional.empty();
    RuntimeException validationThrows;
    int jobReads;

    @Override
    public TrialRenderer renderer(Grid grid) {
      return null;
    }

    @Override
    public Optional<String> validate(TrialRenderer renderer) {
      if (validationThrows != null) {
        throw validationThrows;
      }
      return validation;
    }

    @Override
    public ResultsView freshResults() {
      return fresh;
    }

    @Override
    public Optional<TrialObservation> job(long index) {
      jobReads++;
      return Optional.ofNullable(jobs.get(index));
    }

    @Override
    public Optional<String> lastFailedCreate(String job) {
      return Optional.of("FailedCreate: exceeded quota");
    }
  }

  private static Snapshot snapshot(
      PlanFixture f, Set<String> withPods, Map<Long, Integer> disruptions) {
    Map<Long, TrialObservation> live = new LinkedHashMap<>();
    f.live.forEach(o -> live.put(o.index(), o));
    return new Snapshot(
        f.search, live, withPods, disruptions, f.view(), List.of(), List.of(), PlanFixture.NOW);
  }

  private static Snapshot snapshot(PlanFixture f) {
    return snapshot(
        f, f.live.stream().map(TrialObservation::job).collect(Collectors.toSet()), Map.of());
  }

  private static GridSearchStatus launched(long n, long records, List<String> shards) {
    return GridSearchStatus.builder()
        .launched(n)
        .results(new GridSearchStatus.ResultsRef(shards, records))
        .build();
  }

  @Test
  void whatTheCachesAccountForNeedsNoApiRead() {
    PlanFixture f =
        PlanFixture.grid(4, 1)
            .running(1)
            .stored(0, 0.5)
            .status(launched(2, 1, List.of("s-results-0")));
    Api api = new Api();
    Observation o = observer.observe(snapshot(f), api);
    assertThat(api.jobReads).isZero();
    assertThat(o.deleted()).isEmpty();
    assertThat(o.live()).extracting(TrialObservation::index).containsExactly(1L);
  }

  @Test
  void aPointRecordTheCachesLackMakesTheApiServerDecide() {
    // Point 0's record was written after its trial's (the search ended), and the cache has only
    // the trial's: without a fresh read the planner would write the point again.
    PlanFixture f = PlanFixture.grid(1, 1, "repeats: 2").stored(0, 0.5);
    f.status(
        launched(1, 1, List.of("s-results-0")).toBuilder()
            .points(new GridSearchStatus.PointCounts(1, 1, 0, 0, 0, 1))
            .build());
    Api api = new Api();
    api.fresh = ResultsView.EMPTY;
    Observation o = observer.observe(snapshot(f), api);
    assertThat(o.results()).isSameAs(api.fresh);
  }

  @Test
  void aLaunchedTrialTheCachesLackIsLiveIfTheApiServerHasItsJobAndDeletedIfNot() {
    PlanFixture f = PlanFixture.grid(4, 1).running(3).status(launched(4, 0, List.of()));
    Api api = new Api();
    api.jobs.put(
        1L,
        new TrialObservation(
            1,
            PlanFixture.job(1),
            TrialState.Running,
            false,
            false,
            PlanFixture.NOW,
            null,
            null,
            null,
            null,
            null));
    Observation o = observer.observe(snapshot(f), api);
    assertThat(o.live()).extracting(TrialObservation::index).containsExactlyInAnyOrder(1L, 3L);
    assertThat(o.deleted()).containsExactlyInAnyOrder(0L, 2L);
    assertThat(o.lost()).isEmpty();
    assertThat(o.recordsLost()).isEmpty();
  }

  @Test
  void aDeletedResultsShardMakesMissingTrialsLostNotDeleted() {
    PlanFixture f = PlanFixture.grid(4, 1).status(launched(2, 2, List.of("s-results-0")));
    Observation o = observer.observe(snapshot(f), new Api());
    assertThat(o.recordsLost())
        .hasValueSatisfying(
            why ->
                assertThat(why)
                    .contains("s-results-0 was deleted")
                    .contains("2 trial records lost"));
    assertThat(o.lost()).containsExactlyInAnyOrder(0L, 1L);
    assertThat(o.deleted()).isEmpty();
    assertThat(o.input().recordsLost()).isPresent();
  }

  @Test
  void aTrialDisruptedTooOftenFails() {
    PlanFixture f = PlanFixture.grid(4, 1).running(0, 1).status(launched(2, 0, List.of()));
    Snapshot s =
        snapshot(
            f,
            Set.of(PlanFixture.job(0), PlanFixture.job(1)),
            Map.of(0L, Observer.MAX_DISRUPTIONS + 1, 1L, Observer.MAX_DISRUPTIONS));
    Map<Long, TrialObservation> live =
        observer.observe(s, new Api()).live().stream()
            .collect(Collectors.toMap(TrialObservation::index, t -> t));
    assertThat(live.get(0L).state()).isEqualTo(TrialState.Failed);
    assertThat(live.get(0L).reason()).isEqualTo(ResultRecord.TOO_MANY_DISRUPTIONS);
    assertThat(live.get(1L).state()).isEqualTo(TrialState.Running); // at the bound it still runs
  }

  @Test
  void trialsWithoutPodsForLongWaitForAdmission() {
    PlanFixture f = PlanFixture.grid(4, 1).running(0).status(launched(1, 0, List.of()));
    Observation o = observer.observe(snapshot(f, Set.of(), Map.of()), new Api());
    assertThat(o.admissionWaits())
        .hasValueSatisfying(
            w ->
                assertThat(w)
                    .isEqualTo(
                        "1 trial waits for their pods to be admitted (trial 0: FailedCreate: exceeded quota)"));
    assertThat(o.input().quotaLimited()).isEqualTo(o.admissionWaits());
  }

  @Test
  void theGridAndTheBudgetAreJudgedBeforeAnything() {
    PlanFixture f = PlanFixture.grid(2000, 1000);
    Observation o = observer.observe(snapshot(f), new Api());
    assertThat(o.invalid())
        .hasValueSatisfying(
            why -> assertThat(why).contains("more than " + Planner.MAX_UNBOUNDED_TRIALS));
  }

  @Test
  void aNameConflictBeforeTrialZeroIsObservedNotThrown() {
    PlanFixture f = PlanFixture.grid(2, 1);
    Observer withRenderer = new Observer();
    Api api =
        new Api() {
          @Override
          public TrialRenderer renderer(Grid grid) {
            return new TrialRenderer(f.search, grid, PlanFixture.YAML);
          }
        };
    api.validationThrows =
        new NameConflict(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("s-results-0")
                .withNamespace("ns")
                .endMetadata()
                .build());
    Observation o = withRenderer.observe(snapshot(f), api);
    assertThat(o.nameConflict())
        .hasValueSatisfying(
            why ->
                assertThat(why)
                    .contains(
                        "ConfigMap ns/s-results-0 exists and is not this GridSearch's (no owner)"));
    assertThat(o.input().nameConflict()).isEqualTo(o.nameConflict());
    assertThat(new Planner(PlanFixture.CODEC).plan(o.input()).launch()).isEmpty();
  }
}
