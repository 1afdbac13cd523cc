package dev.gridsearch.operator.reconcile;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An informer store that keeps only what the operator reads, so that the caches grow as little as
 * possible with the trials (issue 17). Every object loses its managedFields (a large share of it;
 * for a results shard, every key again). Pods and Jobs also lose their pod spec but for what quota
 * arithmetic and the observer read (containers' names and resources, init containers, overhead,
 * deadline, priority class); pods lose their annotations but JOSDK's and their status but phase,
 * reason, message and container states. Reading a field dropped here needs a change here.
 */
final class LeanStore<R extends HasMetadata> extends BasicItemStore<R> {
  LeanStore() {
    super(Cache::metaNamespaceKeyFunc);
  }

  @Override
  public R put(String key, R obj) {
    return super.put(key, lean(obj));
  }

  static <R extends HasMetadata> R lean(R obj) {
    if (obj.getMetadata() != null) {
      obj.getMetadata().setManagedFields(null);
    }
    if (obj instanceof Pod pod) {
      // Annotations are the trial's (parameters, simulator settings) and the kubelet's, never read
      // from a pod; JOSDK
      // reads its own (javaoperatorsdk.io/...) from every event's object and needs the map, empty
      // or not.
      pod.getMetadata().setAnnotations(josdkOnly(pod.getMetadata().getAnnotations()));
      pod.setSpec(demand(pod.getSpec()));
      pod.setStatus(observed(pod.getStatus()));
    } else if (obj instanceof Job job && job.getSpec() != null) {
      PodTemplateSpec template = job.getSpec().getTemplate();
      if (template != null) {
        job.getSpec().setTemplate(new PodTemplateSpec(null, demand(template.getSpec())));
      }
      job.getSpec().setSelector(null);
    }
    return obj;
  }

  private static Map<String, String> josdkOnly(Map<String, String> annotations) {
    Map<String, String> kept = new LinkedHashMap<>();
    if (annotations != null) {
      annotations.forEach(
          (k, v) -> {
            if (k.startsWith("javaoperatorsdk.io/")) {
              kept.put(k, v);
            }
          });
    }
    return kept;
  }

  /** What PodDemand and TrialObserver read of a pod spec: no env, args, volumes, probes, images. */
  private static PodSpec demand(PodSpec spec) {
    if (spec == null) {
      return null;
    }
    PodSpec lean = new PodSpec();
    lean.setContainers(containers(spec.getContainers()));
    lean.setInitContainers(containers(spec.getInitContainers()));
    lean.setOverhead(spec.getOverhead());
    lean.setActiveDeadlineSeconds(spec.getActiveDeadlineSeconds());
    lean.setPriorityClassName(spec.getPriorityClassName());
    lean.setRestartPolicy(spec.getRestartPolicy());
    return lean;
  }

  private static List<Container> containers(List<Container> containers) {
    return containers == null
        ? null
        : containers.stream()
            .map(
                c -> {
                  Container lean = new Container();
                  lean.setName(c.getName());
                  lean.setResources(c.getResources());
                  lean.setRestartPolicy(
                      c.getRestartPolicy()); // an init container with Always is a sidecar
                  return lean;
                })
            .toList();
  }

  /**
   * A pod's phase, reason, message, container states (the termination message carries the metrics)
   * and whether it was disrupted.
   */
  private static PodStatus observed(PodStatus status) {
    if (status == null) {
      return null;
    }
    PodStatus lean = new PodStatus();
    lean.setPhase(status.getPhase());
    lean.setReason(status.getReason());
    lean.setMessage(status.getMessage());
    lean.setStartTime(status.getStartTime());
    // DisruptionTarget counts a trial's evictions (see GridSearchReconciler#disrupted); no other
    // condition is read.
    lean.setConditions(
        status.getConditions() == null
            ? null
            : status.getConditions().stream()
                .filter(c -> "DisruptionTarget".equals(c.getType()))
                .toList());
    lean.setContainerStatuses(
        status.getContainerStatuses() == null
            ? null
            : status.getContainerStatuses().stream()
                .map(
                    s -> {
                      ContainerStatus c = new ContainerStatus();
                      c.setName(s.getName());
                      c.setState(s.getState());
                      c.setLastState(s.getLastState());
                      c.setRestartCount(s.getRestartCount());
                      return c;
                    })
                .toList());
    return lean;
  }
}
