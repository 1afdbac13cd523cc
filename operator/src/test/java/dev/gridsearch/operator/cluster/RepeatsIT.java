package dev.gridsearch.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.gridsearch.operator.api.GridSearch;
import dev.gridsearch.operator.api.GridSearchStatus.Phase;
import dev.gridsearch.operator.api.GridSearchStatus.PointSummary;
import dev.gridsearch.operator.results.PointRecord;
import dev.gridsearch.operator.results.PointState;
import dev.gridsearch.operator.results.ResultRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Repeats and folds end to end: kwok trials report values that encode (a, b, repeat, fold), and
 * every aggregate the operator stores is checked against a computation made here.
 */
class RepeatsIT extends WithOperator {
  RepeatsIT(ClusterNamespace ns) {
    super(ns);
  }

  private static final int[] A = {1, 2, 3};
  private static final int[] B = {4, 9};
  private static final int REPEATS = 2;
  private static final int FOLDS = 3;

  private static String search(
      String name, String parameters, int repeats, int folds, String extra) {
    return """
        apiVersion: gridsearch.dev/v1alpha1
        kind: GridSearch
        metadata: {name: %s}
        spec:
          parameters:
        %s
          objective:
            metric: acc
            goal: Maximize
            constraints: ["latency_ms < 11.25"]
          repeats: %d
          folds: %d
          parallelism: 6
        %s
          trialTemplate:
            spec:
              template:
                metadata:
                  annotations:
                    sim.gridsearch.dev/duration: 1s
                    sim.gridsearch.dev/message: '{"acc": 0.${params.a}${params.b}${trial.repeat}${trial.fold}, "latency_ms": 1${trial.fold}.${params.a}, "seed": ${trial.seed}, "fold": ${trial.fold}, "of": ${trial.folds}}'
                spec:
                  containers: [{name: train, image: busybox:1.36}]
        """
        .formatted(name, parameters, repeats, folds, extra);
  }

  /** acc of (a, b, repeat, fold), as the template writes it. */
  private static double acc(int a, int b, int repeat, int fold) {
    return Double.parseDouble("0." + a + b + repeat + fold);
  }

  @Test
  void everyPointIsAggregatedOverItsRepeatsAndFoldsAsComputedHere() {
    searches.apply(
        search(
            "cv",
            "    - {name: a, values: [1, 2, 3]}\n    - {name: b, values: [4, 9]}",
            REPEATS,
            FOLDS,
            "  leaderboardSize: 10"));
    GridSearch done = searches.awaitFinished("cv", Duration.ofMinutes(4));
    var status = done.getStatus();
    assertThat(status.phase()).isEqualTo(Phase.Succeeded);
    assertThat(status.totalTrials()).isEqualTo(36);
    assertThat(status.trials().succeeded()).isEqualTo(36);

    // Independent computation: per point, the 6 values, their mean and population std; latency
    // is 1<fold>.<a>, its mean over folds 0..2 is 11 + a/10, so only a = 1 and a = 2 meet
    // "latency_ms < 11.25".
    record Expected(long point, int a, int b, double mean, double std, double[] splits) {}
    List<Expected> expected = new ArrayList<>();
    long point = 0;
    for (int a : A) {
      for (int b : B) {
        double[] splits = new double[REPEATS * FOLDS];
        for (int r = 0; r < REPEATS; r++) {
          for (int f = 0; f < FOLDS; f++) {
            splits[r * FOLDS + f] = acc(a, b, r, f);
          }
        }
        double mean = 0;
        for (double v : splits) {
          mean += v / splits.length;
        }
        double var = 0;
        for (double v : splits) {
          var += (v - mean) * (v - mean) / splits.length;
        }
        expected.add(new Expected(point++, a, b, mean, Math.sqrt(var), splits));
      }
    }

    Map<Long, PointRecord> points = searches.points("cv");
    assertThat(points).hasSize(6);
    for (Expected e : expected) {
      PointRecord p = points.get(e.point());
      assertThat(p.params()).containsEntry("a", "" + e.a()).containsEntry("b", "" + e.b());
      assertThat(p.state()).isEqualTo(e.a() <= 2 ? PointState.Succeeded : PointState.Infeasible);
      assertThat(p.value()).isCloseTo(e.mean(), within(1e-12));
      assertThat(p.stats("acc").std()).isCloseTo(e.std(), within(1e-12));
      assertThat(p.stats("acc").n()).isEqualTo(6);
      assertThat(p.stats("latency_ms").mean()).isCloseTo(11 + e.a() / 10.0, within(1e-12));
      for (int k = 0; k < e.splits().length; k++) {
        assertThat(p.splits().get("acc").get(k))
            .as("split%d of point %d", k, e.point())
            .isEqualTo(e.splits()[k]);
      }
      assertThat(p.cvRow()).containsKeys("mean_test_acc", "std_test_acc", "split5_test_acc");
    }
    assertThat(status.points().total()).isEqualTo(6);
    assertThat(status.points().finished()).isEqualTo(6);
    assertThat(status.points().ranked()).isEqualTo(4);
    assertThat(status.points().infeasible()).isEqualTo(2);

    List<Expected> ranked =
        expected.stream()
            .filter(e -> e.a() <= 2)
            .sorted(
                Comparator.comparingDouble((Expected e) -> -e.mean())
                    .thenComparingLong(Expected::point))
            .toList();
    PointSummary best = status.best();
    assertThat(best.point()).isEqualTo(ranked.get(0).point());
    assertThat(best.value()).isCloseTo(ranked.get(0).mean(), within(1e-12));
    assertThat(best.std()).isCloseTo(ranked.get(0).std(), within(1e-12));
    assertThat(best.n()).isEqualTo(6);
    assertThat(best.trial()).isNull();
    assertThat(status.leaderboard())
        .extracting(PointSummary::point)
        .containsExactlyElementsOf(ranked.stream().map(Expected::point).toList());
    assertThat(status.leaderboard()).extracting(PointSummary::rank).containsExactly(1, 2, 3, 4);

    // Trial records carry their place; fold fastest, then repeat.
    Map<Long, ResultRecord> trials = searches.records("cv");
    assertThat(trials).hasSize(36);
    ResultRecord t = trials.get(10L);
    assertThat(List.of(t.point(), (long) t.repeat(), (long) t.fold())).containsExactly(1L, 1L, 1L);
    assertThat(t.metrics()).containsEntry("fold", 1.0).containsEntry("of", 3.0);

    // Seeds: one per (point, repeat), shared by its folds.
    Map<Integer, Double> seeds = points.get(0L).splits().get("seed");
    assertThat(seeds.get(0)).isEqualTo(seeds.get(1)).isEqualTo(seeds.get(2));
    assertThat(seeds.get(3)).isEqualTo(seeds.get(5)).isNotEqualTo(seeds.get(0));

    // The same point in another search (another name, the parameters in another order) gets the
    // same seeds: reruns reproduce, whatever the search is called.
    searches.apply(
        search(
            "rerun", "    - {name: b, values: [4]}\n    - {name: a, values: [1]}", REPEATS, 1, ""));
    GridSearch rerun = searches.awaitFinished("rerun", Duration.ofMinutes(2));
    assertThat(rerun.getStatus().phase()).isEqualTo(Phase.Succeeded);
    Map<Integer, Double> rerunSeeds = searches.points("rerun").get(0L).splits().get("seed");
    assertThat(rerunSeeds.get(0)).isEqualTo(seeds.get(0));
    assertThat(rerunSeeds.get(1)).isEqualTo(seeds.get(3));
  }

  @Test
  void aSearchWhosePointsAreAllInfeasibleFailsSayingSo() {
    searches.apply(
        search(
            "infeasible", "    - {name: a, values: [3]}\n    - {name: b, values: [4]}", 1, 3, ""));
    GridSearch done = searches.awaitFinished("infeasible", Duration.ofMinutes(1));
    assertThat(done.getStatus().phase()).isEqualTo(Phase.Failed);
    assertThat(searches.condition(done, "Failed"))
        .isEqualTo(
            "True/NoPointRanked: all 3 trials finished; no point could be ranked (0 failed, 1 infeasible, 0 stopped)");
    assertThat(done.getStatus().best()).isNull();
  }

  @Test
  void maxTrialsBelowOnePointIsRefusedWithTheFieldAndTheNumbers() {
    searches.apply(
        search(
            "toosmall",
            "    - {name: a, values: [1, 2]}\n    - {name: b, values: [4]}",
            2,
            3,
            "  budget: {maxTrials: 5}"));
    GridSearch done = searches.awaitFinished("toosmall", Duration.ofMinutes(1));
    assertThat(done.getStatus().phase()).isEqualTo(Phase.Failed);
    assertThat(searches.condition(done, "Failed"))
        .contains("spec.budget.maxTrials: 5 is less than one point's 6 trials");
    assertThat(searches.jobs("toosmall")).isEmpty();
  }
}
