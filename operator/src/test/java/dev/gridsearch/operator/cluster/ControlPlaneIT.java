package dev.gridsearch.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The control plane is real: the Job controller, kwok's pod lifecycle, quota admission and the
 * garbage collector.
 */
@ExtendWith(ClusterExtension.class)
class ControlPlaneIT {
  private final ClusterNamespace ns;

  ControlPlaneIT(ClusterNamespace ns) {
    this.ns = ns;
  }

  private static Job job(String name, Map<String, String> podAnnotations, int parallelism) {
    return new JobBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withBackoffLimit(0)
        .withParallelism(parallelism)
        .withCompletions(parallelism)
        .withNewTemplate()
        .withNewMetadata()
        .withAnnotations(podAnnotations)
        .endMetadata()
        .withNewSpec()
        .withRestartPolicy("Never")
        .addNewContainer()
        .withName("main")
        .withImage("busybox:1.36")
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  private Job awaitFinished(String name) {
    return await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> ns.client().batch().v1().jobs().inNamespace(ns.name()).withName(name).get(),
            j ->
                j != null
                    && j.getStatus() != null
                    && j.getStatus().getConditions().stream()
                        .anyMatch(
                            c ->
                                List.of("Complete", "Failed").contains(c.getType())
                                    && "True".equals(c.getStatus())));
  }

  private static JobCondition finalCondition(Job job) {
    return job.getStatus().getConditions().stream()
        .filter(
            c ->
                List.of("Complete", "Failed").contains(c.getType()) && "True".equals(c.getStatus()))
        .findFirst()
        .orElseThrow();
  }

  private List<Pod> podsOf(String job) {
    return ns.client().pods().inNamespace(ns.name()).withLabel("job-name", job).list().getItems();
  }

  @Test
  void annotatedJobCompletesWithItsTerminationMessage() {
    String message = "{\"acc\": 0.9, \"loss\": 0.25}";
    ns.client()
        .batch()
        .v1()
        .jobs()
        .inNamespace(ns.name())
        .resource(
            job(
                "reports",
                Map.of("sim.gridsearch.dev/duration", "2s", "sim.gridsearch.dev/message", message),
                1))
        .create();
    Job done = awaitFinished("reports");
    assertThat(finalCondition(done).getType()).isEqualTo("Complete");
    Pod pod = podsOf("reports").get(0);
    assertThat(pod.getStatus().getPhase()).isEqualTo("Succeeded");
    assertThat(
            pod.getStatus().getContainerStatuses().get(0).getState().getTerminated().getMessage())
        .isEqualTo(message);
    assertThat(
            pod.getStatus().getContainerStatuses().get(0).getState().getTerminated().getExitCode())
        .isZero();
  }

  @Test
  void podWithoutAnnotationsSucceedsWithAnEmptyMessage() {
    ns.client()
        .batch()
        .v1()
        .jobs()
        .inNamespace(ns.name())
        .resource(job("plain", Map.of(), 1))
        .create();
    assertThat(finalCondition(awaitFinished("plain")).getType()).isEqualTo("Complete");
    String msg =
        podsOf("plain")
            .get(0)
            .getStatus()
            .getContainerStatuses()
            .get(0)
            .getState()
            .getTerminated()
            .getMessage();
    assertThat(msg == null ? "" : msg).isEmpty();
  }

  @Test
  void failingJobEndsWithTheJobControllersReason() {
    ns.client()
        .batch()
        .v1()
        .jobs()
        .inNamespace(ns.name())
        .resource(
            job(
                "fails",
                Map.of("sim.gridsearch.dev/exit-code", "3", "sim.gridsearch.dev/message", "boom"),
                1))
        .create();
    JobCondition failed = finalCondition(awaitFinished("fails"));
    assertThat(failed.getType()).isEqualTo("Failed");
    assertThat(failed.getReason()).isEqualTo("BackoffLimitExceeded");
    Pod pod = podsOf("fails").get(0);
    assertThat(pod.getStatus().getPhase()).isEqualTo("Failed");
    assertThat(
            pod.getStatus().getContainerStatuses().get(0).getState().getTerminated().getExitCode())
        .isEqualTo(3);
  }

  @Test
  void quotaAdmissionRefusesPodsBeyondTheQuota() {
    ns.quota("two-pods", Map.of("pods", "2"));
    AtomicInteger maxPods = new AtomicInteger();
    ns.client()
        .batch()
        .v1()
        .jobs()
        .inNamespace(ns.name())
        .resource(job("wide", Map.of("sim.gridsearch.dev/duration", "6s"), 4))
        .create();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              long live =
                  podsOf("wide").stream()
                      .filter(
                          p -> !List.of("Succeeded", "Failed").contains(p.getStatus().getPhase()))
                      .count();
              maxPods.accumulateAndGet((int) live, Math::max);
              return ns.client().v1().events().inNamespace(ns.name()).list().getItems().stream()
                  .anyMatch(ControlPlaneIT::isQuotaRefusal);
            });
    assertThat(maxPods.get()).isLessThanOrEqualTo(2);
    Event refusal =
        ns.client().v1().events().inNamespace(ns.name()).list().getItems().stream()
            .filter(ControlPlaneIT::isQuotaRefusal)
            .findFirst()
            .orElseThrow();
    assertThat(refusal.getInvolvedObject().getName()).isEqualTo("wide");
    ns.client().resourceQuotas().inNamespace(ns.name()).withName("two-pods").delete();
  }

  private static boolean isQuotaRefusal(Event e) {
    return "FailedCreate".equals(e.getReason())
        && e.getMessage() != null
        && e.getMessage().contains("exceeded quota");
  }

  @Test
  void deletingAnOwnerDeletesItsJobs() {
    ConfigMap owner =
        ns.client()
            .configMaps()
            .inNamespace(ns.name())
            .resource(
                new ConfigMapBuilder().withNewMetadata().withName("owner").endMetadata().build())
            .create();
    Job owned = job("owned", Map.of("sim.gridsearch.dev/duration", "60s"), 1);
    owned
        .getMetadata()
        .setOwnerReferences(
            List.of(
                new OwnerReferenceBuilder()
                    .withApiVersion("v1")
                    .withKind("ConfigMap")
                    .withName("owner")
                    .withUid(owner.getMetadata().getUid())
                    .build()));
    ns.client().batch().v1().jobs().inNamespace(ns.name()).resource(owned).create();
    ns.client().configMaps().inNamespace(ns.name()).withName("owner").delete();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () ->
                ns.client().batch().v1().jobs().inNamespace(ns.name()).withName("owned").get()
                    == null);
  }
}
