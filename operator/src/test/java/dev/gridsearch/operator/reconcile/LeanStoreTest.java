package dev.gridsearch.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridsearch.operator.quota.PodDemand;
import dev.gridsearch.operator.trial.TrialObserver;
import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.LimitRangeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The lean cache copies must read the same as the full objects wherever the operator reads them.
 */
class LeanStoreTest {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();
  private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
  private static final List<LimitRange> LIMITS =
      List.of(
          new LimitRangeBuilder()
              .withNewSpec()
              .addNewLimit()
              .withType("Container")
              .withDefaultRequest(Map.of("cpu", new Quantity("250m")))
              .endLimit()
              .endSpec()
              .build());

  @Test
  void aPodKeepsWhatTheObserverAndTheQuotaArithmeticRead() {
    Pod full = pod();
    Pod lean = LeanStore.lean(copy(full, Pod.class));

    assertThat(lean.getMetadata().getLabels()).isEqualTo(full.getMetadata().getLabels());
    assertThat(lean.getMetadata().getCreationTimestamp())
        .isEqualTo(full.getMetadata().getCreationTimestamp());
    assertThat(lean.getMetadata().getResourceVersion())
        .isEqualTo(full.getMetadata().getResourceVersion());
    assertThat(PodDemand.of(lean.getSpec(), LIMITS))
        .isEqualTo(PodDemand.of(full.getSpec(), LIMITS));
    Job job = job();
    for (String primary : new String[] {null, "train", "sidecar"}) {
      TrialObserver observer = new TrialObserver("acc", primary);
      assertThat(observer.observe(3, job, List.of(lean), NOW))
          .as("primary " + primary)
          .isEqualTo(observer.observe(3, job, List.of(full), NOW));
    }
    assertThat(lean.getStatus().getPhase()).isEqualTo("Succeeded");

    assertThat(lean.getMetadata().getManagedFields()).isNull();
    // JOSDK's InformerEventSource reads annotations from every event's object: a null map failed
    // every pod event.
    assertThat(lean.getMetadata().getAnnotations())
        .isNotNull()
        .containsOnlyKeys("javaoperatorsdk.io/previous");
    assertThat(lean.getSpec().getContainers())
        .allSatisfy(
            c -> {
              assertThat(c.getEnv()).isEmpty();
              assertThat(c.getArgs()).isEmpty();
              assertThat(c.getImage()).isNull();
            });
    assertThat(lean.getSpec().getVolumes()).isEmpty();
    assertThat(lean.getStatus().getConditions()).isEmpty();
    assertThat(JSON.asJson(lean).length())
        .as("lean JSON vs full")
        .isLessThan(JSON.asJson(full).length() * 2 / 3);
  }

  @Test
  void anEvictedPodStillReadsAsDisrupted() {
    Pod evicted =
        new PodBuilder(pod())
            .editOrNewStatus()
            .addNewCondition()
            .withType("Ready")
            .withStatus("False")
            .endCondition()
            .addNewCondition()
            .withType("DisruptionTarget")
            .withStatus("True")
            .withReason("EvictionByEvictionAPI")
            .endCondition()
            .endStatus()
            .build();
    Pod lean = LeanStore.lean(copy(evicted, Pod.class));
    assertThat(GridSearchReconciler.disrupted(evicted)).isTrue();
    assertThat(GridSearchReconciler.disrupted(lean)).isTrue();
    assertThat(lean.getStatus().getConditions())
        .extracting(c -> c.getType())
        .containsExactly("DisruptionTarget");
    assertThat(GridSearchReconciler.disrupted(LeanStore.lean(copy(pod(), Pod.class)))).isFalse();
  }

  @Test
  void aJobKeepsItsStatusSuspensionLabelsOwnersAndPodDemand() {
    Job full = job();
    Job lean = LeanStore.lean(copy(full, Job.class));

    assertThat(lean.getStatus()).isEqualTo(full.getStatus());
    assertThat(lean.getMetadata().getLabels()).isEqualTo(full.getMetadata().getLabels());
    assertThat(lean.getMetadata().getOwnerReferences())
        .isEqualTo(full.getMetadata().getOwnerReferences());
    assertThat(lean.getSpec().getSuspend()).isEqualTo(full.getSpec().getSuspend());
    assertThat(lean.getSpec().getParallelism()).isEqualTo(full.getSpec().getParallelism());
    assertThat(TrialObserver.index(lean)).isEqualTo(TrialObserver.index(full));
    assertThat(PodDemand.of(lean.getSpec().getTemplate().getSpec(), LIMITS))
        .isEqualTo(PodDemand.of(full.getSpec().getTemplate().getSpec(), LIMITS));
    TrialObserver observer = new TrialObserver("acc", null);
    assertThat(observer.observe(3, lean, List.of(pod()), NOW))
        .isEqualTo(observer.observe(3, full, List.of(pod()), NOW));
    assertThat(lean.getSpec().getTemplate().getMetadata()).isNull();
    assertThat(lean.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()).isEmpty();
  }

  private static <T> T copy(T o, Class<T> type) {
    return JSON.unmarshal(JSON.asJson(o), type);
  }

  private static Pod pod() {
    return new PodBuilder()
        .withNewMetadata()
        .withName("s-3-abcde")
        .withNamespace("ns")
        .withResourceVersion("42")
        .withCreationTimestamp("2026-12-01T11:59:00Z")
        .addToLabels("gridsearch.dev/name", "s")
        .addToLabels("batch.kubernetes.io/job-name", "s-3")
        .addToAnnotations("sim.gridsearch.dev/message", "acc=0.9")
        .addToAnnotations("kwok.x-k8s.io/node", "fake")
        .addToAnnotations("javaoperatorsdk.io/previous", "1234")
        .addNewManagedField()
        .withManager("kube-controller-manager")
        .withOperation("Update")
        .endManagedField()
        .endMetadata()
        .withNewSpec()
        .withRestartPolicy("Never")
        .withActiveDeadlineSeconds(600L)
        .withPriorityClassName("batch")
        .addToOverhead("cpu", new Quantity("10m"))
        .addNewInitContainer()
        .withName("sidecar")
        .withImage("proxy:1")
        .withRestartPolicy("Always")
        .withNewResources()
        .addToRequests("memory", new Quantity("64Mi"))
        .endResources()
        .endInitContainer()
        .addNewContainer()
        .withName("train")
        .withImage("busybox:1.36")
        .withArgs("--lr", "0.1", "--depth", "7")
        .addNewEnv()
        .withName("LR")
        .withValue("0.1")
        .endEnv()
        .withNewResources()
        .addToRequests("cpu", new Quantity("1"))
        .addToLimits("memory", new Quantity("1Gi"))
        .endResources()
        .addNewVolumeMount()
        .withName("data")
        .withMountPath("/data")
        .endVolumeMount()
        .endContainer()
        .addNewContainer()
        .withName("logger")
        .withImage("fluent:2")
        .endContainer()
        .addNewVolume()
        .withName("data")
        .withNewEmptyDir()
        .endEmptyDir()
        .endVolume()
        .endSpec()
        .withNewStatus()
        .withPhase("Succeeded")
        .withHostIP("10.0.0.1")
        .withPodIP("10.1.0.9")
        .withQosClass("Burstable")
        .withStartTime("2026-12-01T11:59:01Z")
        .addNewCondition()
        .withType("Ready")
        .withStatus("False")
        .endCondition()
        .addNewInitContainerStatus()
        .withName("sidecar")
        .withImage("proxy:1")
        .endInitContainerStatus()
        .addNewContainerStatus()
        .withName("logger")
        .withImage("fluent:2")
        .withNewState()
        .withNewTerminated()
        .withExitCode(0)
        .withMessage("acc=0.1")
        .endTerminated()
        .endState()
        .endContainerStatus()
        .addNewContainerStatus()
        .withName("train")
        .withImage("busybox:1.36")
        .withImageID("sha256:1")
        .withContainerID("containerd://1")
        .withNewState()
        .withNewTerminated()
        .withExitCode(0)
        .withReason("Completed")
        .withMessage("acc=0.9\nloss=0.3")
        .endTerminated()
        .endState()
        .endContainerStatus()
        .endStatus()
        .build();
  }

  private static Job job() {
    return new JobBuilder()
        .withNewMetadata()
        .withName("s-3")
        .withNamespace("ns")
        .withCreationTimestamp("2026-12-01T11:58:59Z")
        .addToLabels("gridsearch.dev/name", "s")
        .addToLabels("gridsearch.dev/trial-index", "3")
        .addNewOwnerReference()
        .withApiVersion("gridsearch.dev/v1alpha1")
        .withKind("GridSearch")
        .withName("s")
        .withUid("u-1")
        .withController(true)
        .endOwnerReference()
        .endMetadata()
        .withNewSpec()
        .withSuspend(false)
        .withParallelism(2)
        .withNewSelector()
        .addToMatchLabels("a", "b")
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .addToAnnotations("sim.gridsearch.dev/duration", "1s")
        .endMetadata()
        .withSpec(pod().getSpec())
        .endTemplate()
        .endSpec()
        .withNewStatus()
        .withStartTime("2026-12-01T11:59:00Z")
        .withCompletionTime("2026-12-01T11:59:30Z")
        .addNewCondition()
        .withType("Complete")
        .withStatus("True")
        .withLastTransitionTime("2026-12-01T11:59:30Z")
        .endCondition()
        .endStatus()
        .build();
  }
}
