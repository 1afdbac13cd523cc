package dev.gridsearch.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gridsearch.operator.api.GridSearch;
import dev.gridsearch.operator.api.GridSearchStatus.Phase;
import dev.gridsearch.operator.results.ResultRecord;
import dev.gridsearch.operator.trial.TrialState;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Budgets end runs on the real control plane, and a suspended search shows its preflight plan. */
class BudgetIT extends WithOperator {
  BudgetIT(ClusterNamespace ns) {
    super(ns);
  }

  /**
   * Trials last 30 s, far longer than the budgets, so the budget always runs out while trials are
   * running.
   */
  static String search(String name, String budget, String extra) {
    return """
        apiVersion: gridsearch.dev/v1alpha1
        kind: GridSearch
        metadata: {name: %s}
        spec:
          parameters: [{name: x, range: {min: 1, max: 20, step: 1}}]
          objective: {metric: acc, goal: Maximize}
          parallelism: 2
          budget: %s
          %s
          trialTemplate:
            spec:
              template:
                metadata:
                  annotations: {sim.gridsearch.dev/duration: 30s, sim.gridsearch.dev/message: 'acc=${params.x}'}
                spec:
                  containers: [{name: train, image: busybox:1.36, resources: {requests: {cpu: '1', memory: 1Gi}}}]
        """
        .formatted(name, budget, extra);
  }

  private void assertStoppedByBudget(String name, String why) {
    GridSearch done = searches.awaitFinished(name, Duration.ofMinutes(2));
    // Every trial outlasts the budget, so none succeeded: the search fails, and says which budget
    // ran out.
    assertThat(done.getStatus().phase()).isEqualTo(Phase.Failed);
    assertThat(searches.condition(done, "Failed"))
        .startsWith("True/NoTrialSucceeded")
        .contains(why)
        .contains("no trial succeeded (0 failed, 0 without metrics, ");
    assertThat(done.getStatus().launched()).isLessThan(20);
    Map<Long, ResultRecord> records = searches.records(name);
    assertThat(records.values())
        .filteredOn(r -> r.state() == TrialState.Stopped)
        .isNotEmpty()
        .allSatisfy(r -> assertThat(r.reason()).isEqualTo("BudgetExhausted"));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(
                        ns.client()
                            .pods()
                            .inNamespace(ns.name())
                            .withLabel(GridSearch.NAME_LABEL, name)
                            .list()
                            .getItems())
                    .noneMatch(
                        p ->
                            "Running".equals(p.getStatus().getPhase())
                                && p.getMetadata().getDeletionTimestamp() == null));
  }

  @Test
  void maxDurationStopsTheRun() {
    searches.apply(search("deadline", "{maxDuration: 10s}", ""));
    assertStoppedByBudget("deadline", "budget.maxDuration 10s reached");
    assertThat(searches.get("deadline").getStatus().budget().maxDuration()).isEqualTo("10s");
  }

  @Test
  void resourceHoursStopTheRun() {
    // 1 cpu per trial, 2 at a time: 6 milli-cpu-hours (21.6 cpu-seconds) last about 11 s,
    // mid-trial.
    searches.apply(search("cpuhours", "{resourceHours: {cpu: 6m}}", ""));
    assertStoppedByBudget("cpuhours", "budget.resourceHours.cpu used up");
    assertThat(searches.get("cpuhours").getStatus().budget().resourceHours().get("cpu"))
        .endsWith("/0.006");
  }

  @Test
  void aSuspendedSearchShowsItsPreflightPlanAndLaunchesNothing() {
    ns.client()
        .resourceQuotas()
        .inNamespace(ns.name())
        .resource(
            new ResourceQuotaBuilder()
                .withNewMetadata()
                .withName("small")
                .endMetadata()
                .withNewSpec()
                .withHard(Map.of("requests.cpu", new Quantity("1500m")))
                .endSpec()
                .build())
        .create();
    try {
      searches.apply(search("preflight", "{maxTrials: 12}", "suspend: true"));
      GridSearch gs =
          await()
              .atMost(Duration.ofSeconds(30))
              .until(
                  () -> searches.get("preflight"),
                  g -> g.getStatus() != null && g.getStatus().preflight() != null);
      assertThat(gs.getStatus().phase()).isEqualTo(Phase.Suspended);
      assertThat(gs.getStatus().gridSize()).isEqualTo(20);
      assertThat(gs.getStatus().totalTrials()).isEqualTo(12);
      assertThat(gs.getStatus().preflight().perTrial())
          .containsEntry("cpu", "1")
          .containsEntry("memory", "1Gi");
      assertThat(gs.getStatus().preflight().peak())
          .containsEntry("cpu", "2")
          .containsEntry("memory", "2Gi");
      assertThat(gs.getStatus().preflight().peakFitsQuota()).isFalse();
      assertThat(gs.getStatus().preflight().quota())
          .contains("ResourceQuota small", "requests.cpu");
      assertThat(
              ns.client()
                  .batch()
                  .v1()
                  .jobs()
                  .inNamespace(ns.name())
                  .withLabel(GridSearch.NAME_LABEL, "preflight")
                  .list()
                  .getItems())
          .isEmpty();
    } finally {
      ns.client().resourceQuotas().inNamespace(ns.name()).withName("small").delete();
    }
  }
}
