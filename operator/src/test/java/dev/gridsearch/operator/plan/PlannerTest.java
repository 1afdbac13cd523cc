package dev.gridsearch.operator.plan;

import static dev.gridsearch.operator.plan.PlanFixture.grid;
import static dev.gridsearch.operator.plan.PlanFixture.job;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gridsearch.operator.api.GridSearchStatus;
import dev.gridsearch.operator.api.GridSearchStatus.Phase;
import dev.gridsearch.operator.results.ResultRecord;
import dev.gridsearch.operator.trial.TrialState;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlannerTest {

  static Condition condition(Plan plan, String type) {
    return plan.status().conditions().stream()
        .filter(c -> c.getType().equals(type))
        .findFirst()
        .orElseThrow(
            () -> new AssertionError("no " + type + " condition in " + plan.status().conditions()));
  }

  @Test
  void firstReconcileLaunchesTheFirstTrialsInIndexOrderUpToParallelism() {
    Plan plan = grid(3, 4, "parallelism: 5").plan();
    assertThat(plan.launch()).containsExactly(0L, 1L, 2L, 3L, 4L);
    assertThat(plan.status().phase()).isEqualTo(Phase.Running);
    assertThat(plan.status().launched()).isEqualTo(5);
    assertThat(plan.status().trials().pending()).isEqualTo(5);
    assertThat(plan.status().gridSize()).isEqualTo(12);
    assertThat(plan.status().totalTrials()).isEqualTo(12);
    assertThat(plan.status().progress()).isEqualTo("0/12");
    assertThat(plan.status().startTime()).isEqualTo(PlanFixture.NOW.toString());
  }

  @Test
  void freshOutcomesWaitToBeStoredTogetherButTheirSlotsRefillAtOnce() {
    PlanFixture f = grid(3, 4, "parallelism: 2").running(0).finished(1, 0.5);
    f.search.setStatus(status(2));
    f.now = PlanFixture.NOW.plusMillis(500);
    Plan plan = f.plan();
    assertThat(plan.launch()).containsExactly(2L);
    assertThat(plan.record()).isEmpty();
    assertThat(plan.writes()).isEmpty();
    assertThat(plan.delete()).as("the Job holds the outcome until it is stored").isEmpty();
    assertThat(plan.status().progress()).isEqualTo("0/12");
    assertThat(plan.status().results().records()).isZero();
    assertThat(plan.wakeAfter()).contains(Planner.RECORD_DELAY.minusMillis(500));

    f.now = PlanFixture.NOW.plus(Planner.RECORD_DELAY);
    assertThat(f.plan().record()).extracting(ResultRecord::trial).containsExactly(1L);
  }

  @Test
  void whenTheSearchEndsEveryOutcomeIsStoredAtOnce() {
    PlanFixture failing =
        grid(3, 4, "parallelism: 2", "maxFailedTrials: 0").running(0).finished(1, null);
    failing.search.setStatus(status(2));
    assertThat(failing.plan().record()).extracting(ResultRecord::trial).containsExactly(1L, 0L);
    PlanFixture bearable =
        grid(3, 4, "parallelism: 2", "maxFailedTrials: 1").running(0).finished(1, null);
    bearable.search.setStatus(status(2));
    assertThat(bearable.plan().record()).as("a failure the limit allows can wait").isEmpty();

    // Found by PlannerPropertyTest: a stored failure ends the search after a limit edit; the
    // waiting success goes too.
    PlanFixture edited =
        grid(3, 4, "parallelism: 2", "maxFailedTrials: 0")
            .stored(0, null)
            .finished(1, 0.5)
            .running(2);
    edited.search.setStatus(status(3));
    assertThat(edited.plan().status().phase()).isEqualTo(Phase.Failed);
    assertThat(edited.plan().record()).extracting(ResultRecord::trial).contains(1L);

    PlanFixture target =
        grid(3, 4, "parallelism: 2", "objective: {metric: acc, goal: Maximize, target: 0.9}")
            .running(0)
            .finished(1, 0.95);
    target.search.setStatus(status(2));
    assertThat(target.plan().status().phase()).isEqualTo(Phase.Succeeded);

    PlanFixture last = grid(1, 2, "parallelism: 2").finished(0, 0.1).finished(1, 0.2);
    last.search.setStatus(status(2));
    assertThat(last.plan().record()).hasSize(2);
    assertThat(last.plan().status().phase()).isEqualTo(Phase.Succeeded);

    PlanFixture budget =
        grid(3, 4, "parallelism: 2", "budget: {resourceHours: {cpu: 10}}")
            .running(0)
            .finished(1, 0.5);
    budget.search.setStatus(status(2));
    assertThat(budget.plan().record()).hasSize(1);
  }

  @Test
  void neverMoreUnfinishedThanParallelism() {
    PlanFixture f = grid(3, 4, "parallelism: 3").running(0, 1).pending(2);
    f.search.setStatus(status(3));
    assertThat(f.plan().launch()).isEmpty();
  }

  @Test
  void aFinishedTrialIsRecordedDeletedAndItsSlotFilledInTheSameReconcile() {
    PlanFixture f = grid(3, 4, "parallelism: 2").running(0).finished(1, 0.5);
    f.search.setStatus(status(2));
    f.now = PlanFixture.NOW.plus(Planner.RECORD_DELAY);
    Plan plan = f.plan();
    assertThat(plan.record())
        .extracting(ResultRecord::trial, ResultRecord::state, ResultRecord::value)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, TrialState.Succeeded, 0.5));
    assertThat(plan.record().get(0).parameters())
        .containsExactly(java.util.Map.entry("x", "1"), java.util.Map.entry("y", "2"));
    assertThat(plan.writes()).hasSize(1);
    assertThat(plan.writes().get(0).create()).isTrue();
    assertThat(plan.writes().get(0).entries()).containsKey("1");
    assertThat(plan.launch()).containsExactly(2L);
    // trial 1 is the best so far: its Job stays
    assertThat(plan.delete()).isEmpty();
    assertThat(plan.status().best().trial()).isEqualTo(1);
    assertThat(plan.status().best().job()).isEqualTo(job(1));
    assertThat(plan.status().results().records()).isEqualTo(1);
    assertThat(plan.status().results().configMaps()).containsExactly("s-results-0");
  }

  @Test
  void finishedJobsThatAreNotTheBestAreDeletedOnceRecorded() {
    PlanFixture f =
        grid(3, 4, "parallelism: 2")
            .stored(0, 0.9)
            .stored(1, 0.1)
            .finished(0, 0.9)
            .finished(1, 0.1);
    f.search.setStatus(status(2));
    Plan plan = f.plan();
    assertThat(plan.record()).isEmpty();
    assertThat(plan.delete()).containsExactly(job(1));
    assertThat(plan.launch()).containsExactly(2L, 3L);
  }

  @Test
  void cleanupKeepKeepsEveryJob() {
    PlanFixture f =
        grid(3, 4, "parallelism: 2", "cleanup: {finishedJobs: Keep}")
            .stored(0, 0.9)
            .stored(1, 0.1)
            .finished(0, 0.9)
            .finished(1, 0.1);
    f.search.setStatus(status(2));
    assertThat(f.plan().delete()).isEmpty();
  }

  @Test
  void everyTrialFinishedMeansGridExhausted() {
    PlanFixture f = grid(2, 2, "parallelism: 4").storedRange(0, 3, 0.5).stored(3, 0.7);
    f.search.setStatus(status(4));
    Plan plan = f.plan();
    assertThat(plan.launch()).isEmpty();
    assertThat(plan.status().phase()).isEqualTo(Phase.Succeeded);
    assertThat(condition(plan, "Complete").getReason()).isEqualTo("GridExhausted");
    assertThat(condition(plan, "Complete").getMessage())
        .isEqualTo("all 4 trials finished; best: trial 3 (acc=0.7)");
    assertThat(plan.status().progress()).isEqualTo("4/4");
    assertThat(plan.status().completionTime()).isEqualTo(PlanFixture.NOW.toString());
    assertThat(plan.status().leaderboard())
        .extracting(GridSearchStatus.PointSummary::trial)
        .containsExactly(3L, 0L, 1L, 2L);
  }

  @Test
  void reachingTheTargetStopsRunningTrialsAndLaunchesNothing() {
    PlanFixture f =
        grid(3, 4, "parallelism: 3", "objective: {metric: acc, goal: Maximize, target: 0.9}")
            .finished(0, 0.95)
            .running(1)
            .pending(2);
    f.search.setStatus(status(3));
    Plan plan = f.plan();
    assertThat(plan.launch()).isEmpty();
    assertThat(plan.record())
        .extracting(ResultRecord::trial, ResultRecord::state)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(0L, TrialState.Succeeded),
            org.assertj.core.groups.Tuple.tuple(1L, TrialState.Stopped),
            org.assertj.core.groups.Tuple.tuple(2L, TrialState.Stopped));
    assertThat(plan.record().get(1).reason()).isEqualTo("GoalReached");
    assertThat(plan.delete()).containsExactly(job(1), job(2));
    assertThat(plan.status().phase()).isEqualTo(Phase.Succeeded);
    assertThat(condition(plan, "Complete").getReason()).isEqualTo("GoalReached");
    assertThat(plan.status().trials().stopped()).isEqualTo(2);
    assertThat(plan.status().trials().running()).isZero();
  }

  @Test
  void minimizeGoalCompares() {
    PlanFixture f =
        grid(3, 4, "objective: {metric: acc, goal: Minimize, target: 0.2}").finished(0, 0.3);
    f.search.setStatus(status(1));
    assertThat(f.plan().status().phase()).isEqualTo(Phase.Running);
    PlanFixture g =
        grid(3, 4, "objective: {metric: acc, goal: Minimize, target: 0.2}").finished(0, 0.2);
    g.search.setStatus(status(1));
    assertThat(g.plan().status().phase()).isEqualTo(Phase.Succeeded);
  }

  @Test
  void tooManyFailuresFailsTheSearchAndStopsTheRest() {
    PlanFixture f =
        grid(3, 4, "parallelism: 3", "maxFailedTrials: 1")
            .stored(0, null)
            .finished(1, null)
            .running(2);
    f.search.setStatus(status(3));
    Plan plan = f.plan();
    assertThat(plan.status().phase()).isEqualTo(Phase.Failed);
    assertThat(condition(plan, "Failed").getReason()).isEqualTo("TooManyFailedTrials");
    assertThat(condition(plan, "Failed").getMessage())
        .isEqualTo(
            "2 trials failed, more than maxFailedTrials 1; last: trial 1 (BackoffLimitExceeded)");
    assertThat(plan.delete()).contains(job(2));
    assertThat(plan.launch()).isEmpty();
  }

  @Test
  void aFinishedSearchStaysFinishedWhateverTheSpecSays() {
    PlanFixture done = grid(2, 2, "parallelism: 4").storedRange(0, 4, 0.5);
    done.search.setStatus(status(4));
    GridSearchStatus finished = done.plan().status();
    PlanFixture later = grid(3, 4, "parallelism: 8").storedRange(0, 4, 0.5);
    later.search.getMetadata().setGeneration(2L);
    later.search.setStatus(finished);
    Plan plan = later.plan();
    assertThat(plan.launch()).isEmpty();
    assertThat(plan.status().phase()).isEqualTo(Phase.Succeeded);
    assertThat(condition(plan, "Ready").getMessage()).contains("the spec change has no effect");
    assertThat(plan.status().completionTime()).isEqualTo(finished.completionTime());
  }

  @Test
  void suspendLaunchesNothingAndSuspendsRunningJobsThenResumeUndoesIt() {
    PlanFixture suspended = grid(3, 4, "parallelism: 3", "suspend: true").running(0, 1);
    suspended.search.setStatus(status(2));
    Plan plan = suspended.plan();
    assertThat(plan.launch()).isEmpty();
    assertThat(plan.suspend()).containsExactly(job(0), job(1));
    assertThat(plan.status().phase()).isEqualTo(Phase.Suspended);
    assertThat(condition(plan, "Suspended").getStatus()).isEqualTo("True");

    PlanFixture resumed = grid(3, 4, "parallelism: 3").running(0).suspendedJob(1);
    resumed.search.setStatus(status(2));
    Plan after = resumed.plan();
    assertThat(after.resume()).containsExactly(job(1));
    assertThat(after.launch()).containsExactly(2L);
  }

  @Test
  void anInvalidSpecFailsAndLaunchesNothing() {
    PlanFixture f = grid(3, 4);
    f.invalid = Optional.of("spec.trialTemplate: unknown placeholder ${x}");
    Plan plan = f.plan();
    assertThat(plan.launch()).isEmpty();
    assertThat(plan.status().phase()).isEqualTo(Phase.Failed);
    assertThat(condition(plan, "Failed").getReason()).isEqualTo("Invalid");
    assertThat(condition(plan, "Failed").getMessage())
        .isEqualTo("spec.trialTemplate: unknown placeholder ${x}");
    assertThat(condition(plan, "Ready").getStatus()).isEqualTo("False");
  }

  @Test
  void aSpecThatBecomesInvalidMidRunStopsItsTrialsAndKeepsTheirResults() {
    PlanFixture f = grid(3, 4, "parallelism: 3").finished(0, 0.5).running(1, 2);
    f.search.setStatus(status(3));
    f.invalid = Optional.of("spec.parameters: the grid has too many points");
    Plan plan = f.plan();
    assertThat(plan.launch()).isEmpty();
    assertThat(plan.record())
        .extracting(ResultRecord::trial, ResultRecord::state)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(0L, TrialState.Succeeded),
            org.assertj.core.groups.Tuple.tuple(1L, TrialState.Stopped),
            org.assertj.core.groups.Tuple.tuple(2L, TrialState.Stopped));
    assertThat(plan.delete()).containsExactly(job(1), job(2));
    assertThat(condition(plan, "Failed").getReason()).isEqualTo("Invalid");
  }

  @Test
  void aJobDeletedBySomeoneElseIsRecordedAsFailedNotRerun() {
    PlanFixture f = grid(3, 4, "parallelism: 2").running(1);
    f.deleted = Set.of(0L);
    f.search.setStatus(status(2));
    Plan plan = f.plan();
    assertThat(plan.record())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.trial()).isZero();
              assertThat(r.state()).isEqualTo(TrialState.Failed);
              assertThat(r.reason()).isEqualTo("JobDeleted");
            });
    assertThat(plan.launch()).containsExactly(2L);
  }

  @Test
  void lostRecordsAreStoppedRecordLostAndTheConditionStays() {
    PlanFixture f = grid(3, 4, "parallelism: 2").running(3);
    f.search.setStatus(status(4));
    Plan plan =
        new Planner(PlanFixture.CODEC)
            .plan(f.input().withLostRecords(Set.of(0L, 1L, 2L), "cm gone"));
    assertThat(plan.record())
        .extracting(ResultRecord::trial, ResultRecord::state, ResultRecord::reason)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(0L, TrialState.Stopped, "RecordLost"),
            org.assertj.core.groups.Tuple.tuple(1L, TrialState.Stopped, "RecordLost"),
            org.assertj.core.groups.Tuple.tuple(2L, TrialState.Stopped, "RecordLost"));
    assertThat(condition(plan, "RecordsLost").getMessage()).isEqualTo("cm gone");
    assertThat(plan.status().trials().failed()).as("a lost record is no failure").isZero();

    PlanFixture later = grid(3, 4, "parallelism: 2").running(3);
    later.search.setStatus(plan.status());
    assertThat(condition(later.plan(), "RecordsLost").getMessage()).isEqualTo("cm gone");

    // The status that said so never landed: the stored RecordLost records say it again.
    PlanFixture unsaid = grid(3, 4, "parallelism: 2").running(3);
    unsaid.search.setStatus(status(4));
    plan.record().forEach(unsaid::stored);
    assertThat(condition(unsaid.plan(), "RecordsLost").getMessage())
        .isEqualTo(
            "results records were deleted: 3 trials are recorded Stopped with reason RecordLost");
    assertThat(grid(3, 4, "parallelism: 2").running(3).stored(0, 1.0).plan().status().conditions())
        .noneMatch(c -> c.getType().equals("RecordsLost"));
  }

  @Test
  void budgetMaxTrialsCapsTheRun() {
    PlanFixture f = grid(3, 4, "parallelism: 10", "budget: {maxTrials: 4}");
    Plan plan = f.plan();
    assertThat(plan.launch()).containsExactly(0L, 1L, 2L, 3L);
    assertThat(plan.status().totalTrials()).isEqualTo(4);
  }

  @Test
  void theLaunchLimitTrimsLaunchesAndTheStatusAgrees() {
    PlanFixture f = grid(3, 4, "parallelism: 10");
    Plan plan = new Planner(PlanFixture.CODEC).plan(f.input().withLaunchLimit(3));
    assertThat(plan.launch()).containsExactly(0L, 1L, 2L);
    assertThat(plan.status().launched()).isEqualTo(3);
    assertThat(plan.status().trials().pending()).isEqualTo(3);
  }

  @Test
  void lastTransitionTimeIsKeptWhileAConditionDoesNotFlip() {
    PlanFixture f = grid(3, 4, "parallelism: 2");
    GridSearchStatus first = f.plan().status();
    PlanFixture g = grid(3, 4, "parallelism: 2").running(0, 1);
    g.search.setStatus(first);
    g.now = PlanFixture.NOW.plusSeconds(30);
    Condition ready = condition(g.plan(), "Ready");
    assertThat(ready.getLastTransitionTime()).isEqualTo(PlanFixture.NOW.toString());
    assertThat(ready.getMessage()).isEqualTo("2 running, 0 pending, 10 not started");
  }

  @Test
  void theLeaderboardIsCutToItsSizeAndTiesGoToTheLowerIndex() {
    PlanFixture f =
        grid(10, 10, "parallelism: 1", "leaderboardSize: 3")
            .storedRange(0, 60, 0.5)
            .stored(60, 0.9);
    f.search.setStatus(status(61));
    Plan plan = f.plan();
    assertThat(plan.status().leaderboard())
        .extracting(GridSearchStatus.PointSummary::trial)
        .containsExactly(60L, 0L, 1L);
    assertThat(plan.status().leaderboard()).allSatisfy(e -> assertThat(e.job()).isNull());
  }

  @Test
  void resourceHoursMustBePositiveQuantities() {
    PlanFixture bad = grid(2, 2, "budget: {resourceHours: {cpu: lots}}");
    assertThat(Planner.budgetProblem(bad.search.getSpec()))
        .get()
        .asString()
        .startsWith("spec.budget.resourceHours.cpu: \"lots\" is not a quantity");
    PlanFixture zero = grid(2, 2, "budget: {resourceHours: {nvidia.com/gpu: '0'}}");
    assertThat(Planner.budgetProblem(zero.search.getSpec()))
        .get()
        .asString()
        .isEqualTo("spec.budget.resourceHours.nvidia.com/gpu: \"0\" must be positive");
    PlanFixture good = grid(2, 2, "budget: {resourceHours: {cpu: '400', memory: 2000Gi}}");
    assertThat(Planner.budgetProblem(good.search.getSpec())).isEmpty();
  }

  @Test
  void gridsAboveAMillionNeedMaxTrials() {
    PlanFixture big = grid(1001, 1000);
    assertThat(Planner.gridProblem(big.gridOf(), big.search.getSpec()))
        .get()
        .asString()
        .contains("1001000 points", "spec.budget.maxTrials");
    PlanFixture bounded = grid(1001, 1000, "budget: {maxTrials: 5000}");
    assertThat(Planner.gridProblem(bounded.gridOf(), bounded.search.getSpec())).isEmpty();
  }

  @Test
  void theDeadlineOfMaxDurationStopsRunningTrialsAsBudgetExhausted() {
    PlanFixture f =
        grid(3, 4, "parallelism: 2", "budget: {maxDuration: 90s}").stored(0, 0.4).running(1, 2);
    f.search.setStatus(status(3)); // started 120 s before NOW
    Plan plan = f.plan();
    assertThat(plan.status().phase()).isEqualTo(Phase.Succeeded);
    assertThat(condition(plan, "Complete").getReason()).isEqualTo("BudgetExhausted");
    assertThat(condition(plan, "Complete").getMessage())
        .startsWith("budget.maxDuration 90s reached");
    assertThat(plan.delete()).containsExactly(job(1), job(2));
    assertThat(plan.launch()).isEmpty();
    assertThat(plan.status().budget().elapsed()).isEqualTo("2m0s");

    PlanFixture early = grid(3, 4, "parallelism: 2", "budget: {maxDuration: 3m}").running(0, 1);
    early.search.setStatus(status(2));
    Plan running = early.plan();
    assertThat(running.status().phase()).isEqualTo(Phase.Running);
    assertThat(running.wakeAfter()).contains(java.time.Duration.ofSeconds(60));
  }

  @Test
  void resourceHoursAreRequestsTimesWallTimeAndStopTheRunWhenUsedUp() {
    // Each trial asks 2 cpu; two trials ran 30 minutes each (stored) and one has run 60 s: 2 * (1h
    // + 1/60 h).
    PlanFixture f = grid(3, 4, "parallelism: 2", "budget: {resourceHours: {cpu: '10'}}").running(2);
    f.stored.put(0L, timed(f, 0, "2026-11-29T09:00:00Z", "2026-11-29T09:30:00Z"));
    f.stored.put(1L, timed(f, 1, "2026-11-29T09:00:00Z", "2026-11-29T09:30:00Z"));
    f.search.setStatus(status(3));
    PlanInput in = f.input().withResources(cpu("2", false, Optional.empty()));
    Plan plan = new Planner(PlanFixture.CODEC).plan(in);
    assertThat(plan.status().budget().resourceHours()).containsEntry("cpu", "2.0/10");
    assertThat(plan.status().phase()).isEqualTo(Phase.Running);
    // 10 - 2.0333 cpu-hours left at 2 cpu (one running trial): 3h59m until it runs out.
    assertThat(plan.wakeAfter()).contains(java.time.Duration.ofMinutes(239));
    assertThat(plan.status().preflight().perTrial()).containsEntry("cpu", "2");
    assertThat(plan.status().preflight().peak()).containsEntry("cpu", "4");
    assertThat(plan.status().preflight().remainingResourceHours()).containsEntry("cpu", "10");

    PlanInput spent = in.withResources(cpu("10", false, Optional.empty()));
    Plan over = new Planner(PlanFixture.CODEC).plan(spent);
    assertThat(condition(over, "Complete").getReason()).isEqualTo("BudgetExhausted");
    assertThat(condition(over, "Complete").getMessage())
        .startsWith("budget.resourceHours.cpu used up: 10.2/10");
    assertThat(over.record()).extracting(ResultRecord::state).containsExactly(TrialState.Stopped);
  }

  @Test
  void quotaLimitedIsShownWhileTrialsWaitAndThePreflightSaysIfThePeakFits() {
    PlanFixture f = grid(3, 4, "parallelism: 8");
    PlanInput in =
        f.input()
            .withResources(cpu("2", true, Optional.of("ResourceQuota q: too small")))
            .withQuotaLimit(3, "ResourceQuota q: requests.cpu needs 2 per trial, 6 free");
    Plan plan = new Planner(PlanFixture.CODEC).plan(in);
    assertThat(plan.launch()).containsExactly(0L, 1L, 2L);
    assertThat(condition(plan, "QuotaLimited").getMessage())
        .isEqualTo("ResourceQuota q: requests.cpu needs 2 per trial, 6 free");
    assertThat(plan.status().preflight().peakFitsQuota()).isFalse();
    assertThat(plan.status().preflight().quota()).isEqualTo("ResourceQuota q: too small");
    assertThat(plan.status().preflight().peak()).containsEntry("cpu", "16");
  }

  @Test
  void aSearchInWhichNoTrialSucceededEndsFailedOnTheGridAndTheBudgetPaths() {
    PlanFixture grid = grid(2, 1, "parallelism: 2").finished(0, null).finished(1, null);
    grid.search.setStatus(status(2));
    Plan exhausted = grid.plan();
    assertThat(exhausted.status().phase()).isEqualTo(Phase.Failed);
    assertThat(condition(exhausted, "Failed").getReason()).isEqualTo("NoTrialSucceeded");
    assertThat(condition(exhausted, "Failed").getMessage())
        .isEqualTo(
            "all 2 trials finished; no trial succeeded (2 failed, 0 without metrics, 0 stopped)");
    assertThat(exhausted.status().completionTime()).isNotNull();

    PlanFixture budget = grid(3, 4, "parallelism: 1", "budget: {maxTrials: 1}").finished(0, null);
    budget.search.setStatus(status(1));
    assertThat(budget.plan().status().phase()).isEqualTo(Phase.Failed);

    PlanFixture one = grid(2, 1, "parallelism: 2").finished(0, null).finished(1, 0.5);
    one.search.setStatus(status(2));
    assertThat(one.plan().status().phase()).isEqualTo(Phase.Succeeded);
  }

  @Test
  void theStatusTellsWhatWasDoneNotWhatWasPlanned() {
    PlanFixture f = grid(3, 4, "parallelism: 4");
    Plan plan = f.plan();
    assertThat(plan.launch()).containsExactly(0L, 1L, 2L, 3L);
    GridSearchStatus partly = plan.status(new Done(1, Optional.empty()));
    assertThat(partly.launched()).isEqualTo(1);
    assertThat(partly.trials().pending()).isEqualTo(1);
    assertThat(partly.phase()).isEqualTo(Phase.Running);
    GridSearchStatus none = plan.status(new Done(0, Optional.empty()));
    assertThat(none.phase()).isEqualTo(Phase.Pending);
    assertThat(none.startTime()).isNull();
  }

  @Test
  void aNameConflictMetWhileLaunchingEndsTheSearchAndTheNextPlanStopsTheRest() {
    PlanFixture f = grid(3, 4, "parallelism: 3");
    Plan plan = f.plan();
    GridSearchStatus conflict =
        plan.status(
            new Done(
                1, Optional.of("Job ns/s-1 exists and is not this" + " GridSearch's (no owner)")));
    assertThat(conflict.phase()).isEqualTo(Phase.Failed);
    assertThat(conflict.launched()).isEqualTo(1);
    assertThat(conflict.conditions())
        .anySatisfy(
            c -> {
              assertThat(c.getType()).isEqualTo("Failed");
              assertThat(c.getReason()).isEqualTo("NameConflict");
              assertThat(c.getMessage()).startsWith("Job ns/s-1 exists");
            });

    f.search.setStatus(conflict);
    Plan next = f.running(0).plan();
    assertThat(next.launch()).isEmpty();
    assertThat(next.delete()).containsExactly(job(0));
    assertThat(next.record()).extracting(ResultRecord::state).containsExactly(TrialState.Stopped);
    assertThat(next.status().phase()).isEqualTo(Phase.Failed);
  }

  @Test
  void indexesSkippedByAnOperatorKilledMidBatchAreLaunchedNotTakenForDeleted() {
    // The status says 4 were created; the killed operator had also created 6 (and not 4 or 5)
    // before it died.
    PlanFixture f =
        grid(3, 4, "parallelism: 3")
            .stored(0, 0.1)
            .stored(1, 0.1)
            .stored(2, 0.1)
            .stored(3, 0.1)
            .running(6);
    f.search.setStatus(status(4));
    Plan plan = f.plan();
    assertThat(plan.launch()).containsExactly(4L, 5L);
    assertThat(plan.record()).isEmpty();
    assertThat(plan.status().launched()).isEqualTo(7);
    // Had only 4 been created, the frontier stops at the hole, so 5 is never taken for a deleted
    // trial.
    assertThat(plan.status(new Done(1, Optional.empty())).launched()).isEqualTo(5);
  }

  @Test
  void openSlotsAreWhatParallelismAndTheGridLeave() {
    assertThat(Planner.openSlots(grid(3, 4, "parallelism: 5").running(0, 1).input())).isEqualTo(3);
    assertThat(Planner.openSlots(grid(1, 2, "parallelism: 5").input())).isEqualTo(2);
    assertThat(Planner.openSlots(grid(3, 4, "parallelism: 5", "suspend: true").input())).isZero();
  }

  private static TrialResources cpu(String cores, boolean quotas, Optional<String> peakShortage) {
    var pod =
        new dev.gridsearch.operator.quota.PodDemand(
            java.util.Map.of("cpu", new java.math.BigDecimal(cores)),
            java.util.Map.of(),
            false,
            null);
    return new TrialResources(pod, 1, quotas, peakShortage);
  }

  private static ResultRecord timed(PlanFixture f, long i, String start, String finish) {
    return new ResultRecord(
        i,
        job(i),
        TrialState.Succeeded,
        f.gridOf().assignment(i).asMap(),
        0.1,
        java.util.Map.of("acc", 0.1),
        null,
        null,
        start,
        finish);
  }

  /**
   * A status as the previous reconcile would have left it, with {@code launched} trials created.
   */
  private static GridSearchStatus status(long launched) {
    return GridSearchStatus.builder()
        .observedGeneration(1L)
        .phase(Phase.Running)
        .gridSize(null)
        .totalTrials(null)
        .launched(launched)
        .progress(null)
        .trials(null)
        .best(null)
        .leaderboard(List.of())
        .results(null)
        .startTime(PlanFixture.NOW.minusSeconds(120).toString())
        .completionTime(null)
        .budget(null)
        .preflight(null)
        .conditions(List.of())
        .build();
  }
}
