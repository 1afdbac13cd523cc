package dev.gridsearch.operator.points;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.gridsearch.operator.api.Objective;
import dev.gridsearch.operator.api.Objective.Aggregate;
import dev.gridsearch.operator.api.Objective.FailedTrials;
import dev.gridsearch.operator.api.Objective.Goal;
import dev.gridsearch.operator.grid.TrialLayout;
import dev.gridsearch.operator.results.PointRecord;
import dev.gridsearch.operator.results.PointState;
import dev.gridsearch.operator.results.ResultCodec;
import dev.gridsearch.operator.results.ResultRecord;
import dev.gridsearch.operator.trial.TrialState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** A point's record from its trials: aggregates as scikit-learn computes them, and its state. */
class PointsTest {
  private static final TrialLayout TWO_BY_THREE = new TrialLayout(2, 3);

  private static Objective objective(
      Aggregate aggregate, FailedTrials failed, List<String> constraints) {
    return new Objective("acc", Goal.Maximize, null, aggregate, failed, constraints);
  }

  private static ResultRecord succeeded(long trial, double acc, double latency) {
    return new ResultRecord(
        trial,
        "s-" + trial,
        TrialState.Succeeded,
        Map.of("C", "1"),
        acc,
        Map.of("acc", acc, "latency_ms", latency),
        null,
        null,
        "2026-12-01T10:00:00Z",
        "2026-12-01T10:00:" + String.format("%02d", 10 + trial) + "Z",
        TWO_BY_THREE.point(trial),
        TWO_BY_THREE.repeat(trial),
        TWO_BY_THREE.fold(trial));
  }

  private static ResultRecord ended(long trial, TrialState state, String reason) {
    return new ResultRecord(
        trial,
        "s-" + trial,
        state,
        Map.of("C", "1"),
        null,
        null,
        reason,
        null,
        null,
        null,
        TWO_BY_THREE.point(trial),
        TWO_BY_THREE.repeat(trial),
        TWO_BY_THREE.fold(trial));
  }

  private static List<ResultRecord> sixTrials(double... acc) {
    List<ResultRecord> out = new ArrayList<>();
    for (int i = 0; i < acc.length; i++) {
      out.add(succeeded(6 + i, acc[i], 10 + i));
    }
    return out;
  }

  @Test
  void aggregatesAreScikitLearnsMeanAndPopulationStdWithSplitsNumberedRepeatTimesFoldsPlusFold() {
    PointRecord p =
        Points.aggregate(
            1,
            Map.of("C", "1"),
            TWO_BY_THREE,
            sixTrials(0.90, 0.92, 0.94, 0.91, 0.93, 0.95),
            objective(null, null, null));
    assertThat(p.state()).isEqualTo(PointState.Succeeded);
    assertThat(p.value()).isCloseTo(0.925, within(1e-12));
    // numpy.std([.90,.92,.94,.91,.93,.95]) (ddof=0) = 0.017078251276599...
    assertThat(p.stats("acc").std()).isCloseTo(0.0170782512765993, within(1e-12));
    assertThat(p.stats("acc").stderr()).isCloseTo(0.0170782512765993 / Math.sqrt(6), within(1e-12));
    assertThat(p.stats("acc").median()).isCloseTo(0.925, within(1e-12));
    assertThat(p.splits().get("acc")).containsEntry(0, 0.90).containsEntry(5, 0.95).hasSize(6);
    assertThat(p.stats("latency_ms").mean()).isCloseTo(12.5, within(1e-12));
    assertThat(p.cvRow())
        .containsEntry("split3_test_acc", 0.91)
        .containsKeys("mean_test_acc", "std_test_acc", "mean_test_latency_ms", "mean_trial_seconds")
        .doesNotContainKey("rank_test_acc");
  }

  @Test
  void theAggregateChoosesWhatRanks() {
    var trials = sixTrials(0.5, 0.9, 0.9, 0.1, 0.6, 0.7);
    assertThat(
            Points.aggregate(
                    1, Map.of(), TWO_BY_THREE, trials, objective(Aggregate.median, null, null))
                .value())
        .isCloseTo(0.65, within(1e-12));
    assertThat(
            Points.aggregate(
                    1, Map.of(), TWO_BY_THREE, trials, objective(Aggregate.min, null, null))
                .value())
        .isEqualTo(0.1);
    assertThat(
            Points.aggregate(
                    1, Map.of(), TWO_BY_THREE, trials, objective(Aggregate.max, null, null))
                .value())
        .isEqualTo(0.9);
  }

  @Test
  void aFailedTrialDisqualifiesThePointUnlessFailedTrialsSkip() {
    List<ResultRecord> trials = new ArrayList<>(sixTrials(0.9, 0.8, 0.7, 0.6, 0.5));
    trials.add(ended(11, TrialState.Failed, "BackoffLimitExceeded"));
    PointRecord disqualified =
        Points.aggregate(1, Map.of(), TWO_BY_THREE, trials, objective(null, null, null));
    assertThat(disqualified.state()).isEqualTo(PointState.Failed);
    assertThat(disqualified.reason()).isEqualTo("trial 11 Failed (BackoffLimitExceeded)");

    PointRecord skipped =
        Points.aggregate(
            1, Map.of(), TWO_BY_THREE, trials, objective(null, FailedTrials.Skip, null));
    assertThat(skipped.state()).isEqualTo(PointState.Succeeded);
    assertThat(skipped.succeeded()).isEqualTo(5);
    assertThat(skipped.trials()).isEqualTo(6);
    assertThat(skipped.value()).isCloseTo(0.7, within(1e-12));
  }

  @Test
  void aPointWithAStoppedOrMissingTrialIsStopped() {
    List<ResultRecord> five = sixTrials(0.9, 0.8, 0.7, 0.6, 0.5);
    PointRecord missing =
        Points.aggregate(1, Map.of(), TWO_BY_THREE, five, objective(null, null, null));
    assertThat(missing.state()).isEqualTo(PointState.Stopped);
    assertThat(missing.reason()).isEqualTo("1 of its 6 trials never ran");
    List<ResultRecord> stopped = new ArrayList<>(five);
    stopped.add(ended(11, TrialState.Stopped, "GoalReached"));
    assertThat(
            Points.aggregate(
                    1, Map.of(), TWO_BY_THREE, stopped, objective(null, FailedTrials.Skip, null))
                .reason())
        .isEqualTo("trial 11 Stopped (GoalReached)");
  }

  @Test
  void aPointThatViolatesAConstraintIsInfeasible() {
    var trials = sixTrials(0.9, 0.9, 0.9, 0.9, 0.9, 0.9); // latency 10..15, mean 12.5
    PointRecord feasible =
        Points.aggregate(
            1, Map.of(), TWO_BY_THREE, trials, objective(null, null, List.of("latency_ms < 13")));
    assertThat(feasible.state()).isEqualTo(PointState.Succeeded);
    PointRecord infeasible =
        Points.aggregate(
            1,
            Map.of(),
            TWO_BY_THREE,
            trials,
            objective(null, null, List.of("acc>=0.5", "latency_ms <= 12")));
    assertThat(infeasible.state()).isEqualTo(PointState.Infeasible);
    assertThat(infeasible.reason())
        .isEqualTo("constraint latency_ms <= 12: mean latency_ms = 12.5");
    assertThat(
            Points.aggregate(
                    1, Map.of(), TWO_BY_THREE, trials, objective(null, null, List.of("f1 > 0.5")))
                .reason())
        .isEqualTo("constraint f1 > 0.5: f1 was not reported by every trial");
  }

  @Test
  void pointRecordsReadBackAsWritten() {
    ResultCodec codec = new ResultCodec();
    PointRecord p =
        Points.aggregate(
            1,
            Map.of("C", "1"),
            TWO_BY_THREE,
            sixTrials(0.9, 0.8, 0.7, 0.6, 0.5, 0.4),
            objective(null, null, null));
    assertThat(codec.decodePoint(codec.encodePoint(p))).contains(p);
    assertThat(codec.decodePoint("{\"trial\":3}")).isEmpty();
    assertThat(codec.decodePoint("not json")).isEmpty();
  }

  /** Brute force, with nothing of the code under test: mean, population std, median, min, max. */
  @Property(tries = 300)
  void statisticsEqualABruteForceComputation(
      @ForAll @Size(min = 1, max = 40) List<@DoubleRange(min = -1e6, max = 1e6) Double> values) {
    double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
    var s = dev.gridsearch.operator.results.MetricStats.of(v);
    double mean = Arrays.stream(v).sum() / v.length;
    double var = Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum() / v.length;
    double[] sorted = v.clone();
    Arrays.sort(sorted);
    double median =
        v.length % 2 == 1
            ? sorted[v.length / 2]
            : (sorted[v.length / 2 - 1] + sorted[v.length / 2]) / 2;
    assertThat(s.n()).isEqualTo(v.length);
    assertThat(s.mean()).isCloseTo(mean, within(1e-6));
    assertThat(s.std()).isCloseTo(Math.sqrt(var), within(1e-6));
    assertThat(s.median()).isEqualTo(median);
    assertThat(s.min()).isEqualTo(sorted[0]);
    assertThat(s.max()).isEqualTo(sorted[v.length - 1]);
  }

  @Property(tries = 200)
  void ranksAreScikitLearnsMinMethod(
      @ForAll @Size(min = 1, max = 30) List<@IntRange(min = 0, max = 5) Integer> values) {
    List<PointRecord> points = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      points.add(
          new PointRecord(
              i,
              PointState.Succeeded,
              Map.of(),
              1,
              1,
              (double) values.get(i),
              null,
              Map.of(),
              Map.of(),
              null,
              null));
    }
    var ranks = dev.gridsearch.operator.results.Leaderboard.ranks(points, Goal.Maximize);
    for (int i = 0; i < values.size(); i++) {
      int v = values.get(i);
      long better = values.stream().filter(x -> x > v).count();
      assertThat(ranks.get((long) i)).isEqualTo((int) better + 1);
    }
  }
}
