package dev.gridsearch.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gridsearch.operator.api.GridSearch;
import dev.gridsearch.operator.api.GridSearchStatus.Phase;
import dev.gridsearch.operator.results.ResultRecord;
import dev.gridsearch.operator.trial.TrialState;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * kube-apiserver restarted twice (the real process, through hack/controlplane.sh) during a 60-trial
 * search at parallelism 10: the operator reconnects and the search completes with every index
 * created once and every record kept.
 */
@ExtendWith(ClusterExtension.class)
class ApiServerRestartIT {
  private final ClusterNamespace ns;

  ApiServerRestartIT(ClusterNamespace ns) {
    this.ns = ns;
  }

  // cleanup Keep: no Job is ever deleted, so a gap in the test's own watch cannot hide a
  // create-delete pair.
  static final String SEARCH =
      """
      apiVersion: gridsearch.dev/v1alpha1
      kind: GridSearch
      metadata: {name: outage}
      spec:
        parameters:
          - {name: a, range: {min: 1, max: 6, step: 1}}
          - {name: b, range: {min: 0, max: 9, step: 1}}
        objective: {metric: acc, goal: Maximize}
        parallelism: 10
        cleanup: {finishedJobs: Keep}
        trialTemplate:
          spec:
            template:
              metadata:
                annotations:
                  sim.gridsearch.dev/duration: 2s
                  sim.gridsearch.dev/message: 'acc=0.${params.a}${params.b}'
              spec:
                containers: [{name: train, image: busybox:1.36}]
      """;

  /**
   * Restarts the real kube-apiserver process (etcd and the controllers keep running, without leader
   * election).
   */
  private static void restartApiServer() throws Exception {
    TestCluster.Result result = TestCluster.script("restart-apiserver");
    assertThat(result.exitCode()).as("restart-apiserver:\n%s", result.output()).isZero();
  }

  @Test
  void theSearchSurvivesApiServerRestartsWithoutDuplicatesOrLoss() throws Exception {
    Assumptions.assumeTrue(
        System.getenv(TestCluster.KUBECONFIG_ENV) == null,
        "restarting kube-apiserver needs the local control plane, not "
            + TestCluster.KUBECONFIG_ENV);
    Searches searches = new Searches(ns);
    try (JobWatch watch = new JobWatch(ns);
        OperatorProcess operator = new OperatorProcess(ns).start()) {
      searches.apply(SEARCH);
      int restarts = 0;
      for (long launched : new long[] {15, 40}) {
        // Generous: after a restart kube-controller-manager's Job controller was seen to stall for
        // 100 s.
        await()
            .atMost(Duration.ofMinutes(4))
            .pollInterval(Duration.ofMillis(200))
            .ignoreExceptions()
            .until(
                () -> {
                  GridSearch gs = searches.get("outage");
                  return gs.getStatus() != null
                      && gs.getStatus().launched() != null
                      && gs.getStatus().launched() >= launched;
                });
        restartApiServer();
        restarts++;
      }
      GridSearch done =
          await()
              .atMost(Duration.ofMinutes(5))
              .pollInterval(Duration.ofMillis(500))
              .ignoreExceptions()
              .until(
                  () -> searches.get("outage"),
                  gs ->
                      gs.getStatus() != null
                          && (gs.getStatus().phase() == Phase.Succeeded
                              || gs.getStatus().phase() == Phase.Failed));
      assertThat(done.getStatus().phase()).isEqualTo(Phase.Succeeded);
      assertThat(done.getStatus().progress()).isEqualTo("60/60");

      Map<String, Integer> created = watch.creations();
      assertThat(created).as("Jobs seen created").hasSize(60);
      assertThat(
              created.entrySet().stream()
                  .filter(e -> e.getValue() != 1)
                  .collect(Collectors.toList()))
          .as("Jobs created more than once")
          .isEmpty();
      assertThat(watch.maxUnfinished()).isLessThanOrEqualTo(10);

      Map<Long, ResultRecord> records = searches.records("outage");
      assertThat(records.keySet())
          .containsExactlyElementsOf(LongStream.range(0, 60).boxed().toList());
      assertThat(records.values())
          .allSatisfy(r -> assertThat(r.state()).isEqualTo(TrialState.Succeeded));
      // acc = 0.<a><b> is largest at a=6, b=9: the last trial.
      assertThat(done.getStatus().best().trial()).isEqualTo(59);
      assertThat(operator.isAlive()).isTrue();
      assertThat(operator.starts()).as("the operator reconnected by itself").isEqualTo(1);
      System.out.printf(
          "[ApiServerRestartIT] %d kube-apiserver restarts, 60 trials, test watch re-established %d"
              + " times, 0 duplicates, 0 lost records%n",
          restarts, watch.restarts());
    }
  }
}
