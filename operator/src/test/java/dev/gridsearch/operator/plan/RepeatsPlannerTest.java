package dev.gridsearch.operator.plan;

import static dev.gridsearch.operator.plan.PlanFixture.grid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.gridsearch.operator.api.GridSearchStatus;
import dev.gridsearch.operator.api.GridSearchStatus.Phase;
import dev.gridsearch.operator.results.PointState;
import dev.gridsearch.operator.results.ResultShards.ShardWrite;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * Repeats and folds in the planner: whole points, points recorded once complete, ranked by
 * aggregate.
 */
class RepeatsPlannerTest {

  private static GridSearchStatus launched(long n) {
    return GridSearchStatus.builder()
        .observedGeneration(1L)
        .phase(Phase.Running)
        .launched(n)
        .build();
  }

  @Test
  void underMaxTrialsOnlyWholePointsAreLaunched() {
    PlanFixture f =
        grid(5, 1, "repeats: 2", "folds: 3", "budget: {maxTrials: 14}", "parallelism: 100");
    Plan plan = f.plan();
    assertThat(plan.launch()).containsExactlyElementsOf(LongStream.range(0, 12).boxed().toList());
    assertThat(plan.status().totalTrials()).isEqualTo(12);
    assertThat(plan.status().gridSize()).isEqualTo(5);
    assertThat(plan.status().points().total()).isEqualTo(2);
  }

  @Test
  void maxTrialsBelowOnePointIsRefusedBeforeAnythingRuns() {
    PlanFixture f = grid(5, 1, "repeats: 2", "folds: 3", "budget: {maxTrials: 5}");
    assertThat(Planner.gridProblem(f.gridOf(), f.search.getSpec()))
        .contains(
            "spec.budget.maxTrials: 5 is less than one point's 6 trials (repeats 2 x folds 3), and only whole points are launched");
  }

  @Test
  void aPointIsRecordedBesideItsTrialsOnceTheLastOfThemFinishes() {
    PlanFixture f = grid(2, 1, "folds: 3", "parallelism: 3").stored(0, 0.9).stored(1, 0.7);
    f.search.setStatus(launched(3));
    f.finished(2, 0.8);
    f.now = PlanFixture.NOW.plus(Planner.RECORD_DELAY);
    Plan plan = f.plan();
    assertThat(plan.points())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.point()).isZero();
              assertThat(p.state()).isEqualTo(PointState.Succeeded);
              assertThat(p.value()).isCloseTo(0.8, within(1e-12));
              assertThat(p.splits().get("acc"))
                  .containsEntry(0, 0.9)
                  .containsEntry(1, 0.7)
                  .containsEntry(2, 0.8);
            });
    assertThat(plan.writes())
        .flatExtracting(w -> w.entries().keySet())
        .containsExactly("2", "point-0");
    var best = plan.status().best();
    assertThat(best.point()).isZero();
    assertThat(best.trial()).as("a point of three trials has no single trial").isNull();
    assertThat(best.n()).isEqualTo(3);
    assertThat(best.std()).isCloseTo(Math.sqrt((0.01 + 0.01 + 0) / 3), within(1e-12));
    assertThat(best.rank()).isEqualTo(1);
    assertThat(plan.status().points().finished()).isEqualTo(1);
    assertThat(plan.status().points().ranked()).isEqualTo(1);
  }

  @Test
  void aPointWithTrialsStillRunningIsNotRanked() {
    PlanFixture f = grid(2, 1, "folds: 3", "parallelism: 3").stored(0, 0.9).running(2);
    f.search.setStatus(launched(3));
    f.finished(1, 0.95);
    f.now = PlanFixture.NOW.plus(Planner.RECORD_DELAY);
    Plan plan = f.plan();
    assertThat(plan.points()).isEmpty();
    assertThat(plan.status().best()).isNull();
    assertThat(plan.status().leaderboard()).isEmpty();
    assertThat(plan.writes()).flatExtracting(ShardWrite::entries).isNotEmpty();
  }

  @Test
  void theTargetAppliesToThePointsAggregateNotToOneTrial() {
    PlanFixture f =
        grid(
                3,
                1,
                "folds: 2",
                "parallelism: 2",
                "objective: {metric: acc, goal: Maximize, target: 0.8}")
            .stored(0, 0.95);
    f.search.setStatus(launched(2));
    f.finished(1, 0.6);
    f.now = PlanFixture.NOW.plus(Planner.RECORD_DELAY);
    Plan notYet = f.plan();
    assertThat(notYet.status().phase()).isEqualTo(Phase.Running);
    assertThat(notYet.status().best().value()).isCloseTo(0.775, within(1e-12));

    PlanFixture g =
        grid(
                3,
                1,
                "folds: 2",
                "parallelism: 2",
                "objective: {metric: acc, goal: Maximize, target: 0.8}")
            .stored(0, 0.95);
    g.search.setStatus(launched(2));
    g.finished(1, 0.85);
    g.now = PlanFixture.NOW.plus(Planner.RECORD_DELAY);
    Plan reached = g.plan();
    assertThat(reached.status().phase()).isEqualTo(Phase.Succeeded);
    assertThat(PlannerTest.condition(reached, "Complete").getMessage())
        .isEqualTo("point 0 (mean acc=0.9 ± 0.05, n=2) reached the target: >= 0.8");
  }

  @Test
  void aSearchThatEndsRecordsItsIncompletePoints() {
    // maxFailedTrials 0: trial 3 fails, the search fails, running trial 4 is stopped and trial 5
    // never ran.
    PlanFixture f =
        grid(2, 1, "folds: 3", "parallelism: 2", "maxFailedTrials: 0")
            .stored(0, 0.9)
            .stored(1, 0.9)
            .stored(2, 0.9)
            .running(4);
    f.search.setStatus(launched(5));
    f.finished(3, null);
    Plan plan = f.plan();
    assertThat(plan.status().phase()).isEqualTo(Phase.Failed);
    assertThat(plan.points())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.point()).isEqualTo(1);
              assertThat(p.state()).isEqualTo(PointState.Failed);
              assertThat(p.reason()).isEqualTo("trial 3 Failed (BackoffLimitExceeded)");
            });
    assertThat(plan.status().points().failed()).isEqualTo(1);
    assertThat(plan.status().points().ranked()).isEqualTo(1);
    assertThat(plan.status().best().point()).isZero();
  }

  @Test
  void theBestPointsJobsStayAndOthersGo() {
    PlanFixture f =
        grid(2, 1, "folds: 2", "parallelism: 4")
            .finished(0, 0.9)
            .finished(1, 0.8)
            .finished(2, 0.1)
            .finished(3, 0.2);
    f.search.setStatus(launched(4));
    f.now = PlanFixture.NOW.plus(Planner.RECORD_DELAY);
    Plan plan = f.plan();
    assertThat(plan.status().best().point()).isZero();
    assertThat(plan.delete()).containsExactlyInAnyOrder(PlanFixture.job(2), PlanFixture.job(3));
    assertThat(List.of(plan.status().leaderboard().get(1).rank())).containsExactly(2);
  }
}
