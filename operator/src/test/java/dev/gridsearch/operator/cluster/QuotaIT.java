package dev.gridsearch.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gridsearch.operator.api.GridSearch;
import dev.gridsearch.operator.api.GridSearchStatus.Phase;
import dev.gridsearch.operator.trial.TrialRenderer;
import io.fabric8.kubernetes.api.model.LimitRangeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Quota-aware launching against the real quota admission: never launch what the namespace cannot
 * admit.
 */
class QuotaIT extends WithOperator {
  QuotaIT(ClusterNamespace ns) {
    super(ns);
  }

  @AfterEach
  void cleanUp() {
    ns.client().resources(GridSearch.class).inNamespace(ns.name()).delete();
    ns.client().resourceQuotas().inNamespace(ns.name()).delete();
    ns.client().limitRanges().inNamespace(ns.name()).delete();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                ns.client().batch().v1().jobs().inNamespace(ns.name()).list().getItems().isEmpty()
                    && ns.client().pods().inNamespace(ns.name()).list().getItems().isEmpty());
  }

  static String search(
      String name, int trials, int parallelism, String resources, String duration) {
    return """
        apiVersion: gridsearch.dev/v1alpha1
        kind: GridSearch
        metadata: {name: %s}
        spec:
          parameters: [{name: x, range: {min: 1, max: %d, step: 1}}]
          objective: {metric: acc, goal: Maximize}
          parallelism: %d
          trialTemplate:
            spec:
              template:
                metadata:
                  annotations: {sim.gridsearch.dev/duration: %s, sim.gridsearch.dev/message: 'acc=${params.x}'}
                spec:
                  containers: [{name: train, image: busybox:1.36%s}]
        """
        .formatted(
            name,
            trials,
            parallelism,
            duration,
            resources.isEmpty() ? "" : ", resources: " + resources);
  }

  private long failedCreates() {
    return ns.client().v1().events().inNamespace(ns.name()).list().getItems().stream()
        .filter(e -> "FailedCreate".equals(e.getReason()))
        .count();
  }

  @Test
  void aQuotaForThreeTrialsRunsThreeAtATimeWithoutFailedCreate() {
    ns.quota("cpu3", Map.of("requests.cpu", "3"));
    AtomicBoolean sawQuotaLimited = new AtomicBoolean();
    try (JobWatch watch = new JobWatch(ns);
        PodWatch pods = new PodWatch(ns)) {
      searches.apply(search("three", 12, 10, "{requests: {cpu: '1'}}", "2s"));
      GridSearch done =
          await()
              .atMost(Duration.ofMinutes(3))
              .pollInterval(Duration.ofMillis(300))
              .until(
                  () -> searches.get("three"),
                  gs -> {
                    if (gs.getStatus() != null
                        && searches
                            .condition(gs, "QuotaLimited")
                            .startsWith("True/ExceededQuota")) {
                      sawQuotaLimited.set(true);
                    }
                    return gs.getStatus() != null && gs.getStatus().phase() == Phase.Succeeded;
                  });
      assertThat(done.getStatus().progress()).isEqualTo("12/12");
      assertThat(pods.maxAlive()).as("trial pods running at once").isBetween(1, 3);
      assertThat(watch.creations()).hasSize(12);
    }
    assertThat(sawQuotaLimited).as("QuotaLimited was set while trials waited").isTrue();
    assertThat(failedCreates()).as("FailedCreate events caused by the operator").isZero();
  }

  @Test
  void limitRangeDefaultsCountForTemplatesWithoutRequests() {
    ns.client()
        .limitRanges()
        .inNamespace(ns.name())
        .resource(
            new LimitRangeBuilder()
                .withNewMetadata()
                .withName("defaults")
                .endMetadata()
                .withNewSpec()
                .addNewLimit()
                .withType("Container")
                .withDefaultRequest(Map.of("cpu", new Quantity("1")))
                .withDefault(Map.of("cpu", new Quantity("1")))
                .endLimit()
                .endSpec()
                .build())
        .create();
    ns.quota("cpu2", Map.of("requests.cpu", "2"));
    try (PodWatch pods = new PodWatch(ns)) {
      searches.apply(search("defaults", 6, 6, "", "2s"));
      GridSearch done = searches.awaitFinished("defaults", Duration.ofMinutes(3));
      assertThat(done.getStatus().phase()).isEqualTo(Phase.Succeeded);
      assertThat(pods.maxAlive()).as("trial pods running at once").isBetween(1, 2);
    }
    assertThat(failedCreates()).isZero();
  }

  @Test
  void twoSearchesSharingAQuotaBothMakeProgress() {
    ns.quota("pods2", Map.of("pods", "2"));
    searches.apply(search("left", 8, 4, "", "2s"));
    searches.apply(search("right", 8, 4, "", "2s"));
    // Both must record results before either finishes: neither starves the other.
    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(300))
        .until(
            () -> {
              GridSearch l = searches.get("left");
              GridSearch r = searches.get("right");
              return progress(l) > 0 && progress(r) > 0;
            });
    assertThat(searches.get("left").getStatus().phase()).isNotEqualTo(Phase.Succeeded);
    assertThat(searches.get("right").getStatus().phase()).isNotEqualTo(Phase.Succeeded);
    assertThat(searches.awaitFinished("left", Duration.ofMinutes(3)).getStatus().progress())
        .isEqualTo("8/8");
    assertThat(searches.awaitFinished("right", Duration.ofMinutes(3)).getStatus().progress())
        .isEqualTo("8/8");
    assertThat(failedCreates()).isZero();
  }

  private static long progress(GridSearch gs) {
    if (gs == null || gs.getStatus() == null || gs.getStatus().progress() == null) {
      return 0;
    }
    return Long.parseLong(gs.getStatus().progress().split("/")[0]);
  }

  @Test
  void aTrialBiggerThanTheQuotaIsInvalidAtOnce() {
    ns.quota("gpu2", Map.of("requests.nvidia.com/gpu", "2"));
    searches.apply(
        search(
            "huge",
            4,
            2,
            "{requests: {nvidia.com/gpu: '4'}, limits: {nvidia.com/gpu: '4'}}",
            "1s"));
    GridSearch done = searches.awaitFinished("huge", Duration.ofSeconds(60));
    assertThat(done.getStatus().phase()).isEqualTo(Phase.Failed);
    assertThat(searches.condition(done, "Failed"))
        .startsWith("True/Invalid")
        .contains("ResourceQuota gpu2", "requests.nvidia.com/gpu 4 per trial, hard limit 2");
    assertThat(ns.client().batch().v1().jobs().inNamespace(ns.name()).list().getItems()).isEmpty();
  }

  @Test
  void kueueJobsCarryTheQueueAndStartSuspended() {
    ns.quota(
        "pods1",
        Map.of("pods", "1")); // Kueue owns admission: the operator's own quota check is skipped
    searches.apply(
        search("queued", 4, 3, "", "1s")
            .replace("parallelism: 3", "parallelism: 3\n  queueName: team-a"));
    List<Job> jobs =
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () ->
                    ns.client()
                        .batch()
                        .v1()
                        .jobs()
                        .inNamespace(ns.name())
                        .withLabel(GridSearch.NAME_LABEL, "queued")
                        .list()
                        .getItems(),
                j -> j.size() == 3);
    assertThat(jobs)
        .allSatisfy(
            j -> {
              assertThat(j.getMetadata().getLabels())
                  .containsEntry(TrialRenderer.KUEUE_QUEUE_LABEL, "team-a");
              assertThat(j.getSpec().getSuspend()).isTrue();
            });
    // No Kueue here to admit them: they stay suspended, count as pending, and parallelism still
    // caps them.
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              GridSearch gs = searches.get("queued");
              assertThat(gs.getStatus().trials().pending()).isEqualTo(3);
              assertThat(gs.getStatus().launched()).isEqualTo(3);
            });
  }
}
