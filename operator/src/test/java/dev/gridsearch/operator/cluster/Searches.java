package dev.gridsearch.operator.cluster;

import static org.awaitility.Awaitility.await;

import dev.gridsearch.operator.api.GridSearch;
import dev.gridsearch.operator.api.GridSearchStatus.Phase;
import dev.gridsearch.operator.results.PointRecord;
import dev.gridsearch.operator.results.ResultCodec;
import dev.gridsearch.operator.results.ResultRecord;
import dev.gridsearch.operator.results.ResultShards;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Applying GridSearches and reading back what the operator made of them. */
public final class Searches {
  private final ClusterNamespace ns;
  private final ResultCodec codec = new ResultCodec();

  public Searches(ClusterNamespace ns) {
    this.ns = ns;
  }

  public KubernetesClient client() {
    return ns.client();
  }

  public GridSearch apply(String yaml) {
    GridSearch gs = ns.client().getKubernetesSerialization().unmarshal(yaml, GridSearch.class);
    return ns.client().resources(GridSearch.class).inNamespace(ns.name()).resource(gs).create();
  }

  public GridSearch get(String name) {
    return ns.client().resources(GridSearch.class).inNamespace(ns.name()).withName(name).get();
  }

  /** Waits until the search reaches a final phase (Succeeded or Failed) and returns it. */
  public GridSearch awaitFinished(String name, Duration atMost) {
    return await()
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> get(name),
            gs ->
                gs.getStatus() != null
                    && (gs.getStatus().phase() == Phase.Succeeded
                        || gs.getStatus().phase() == Phase.Failed));
  }

  /** Every trial record in the search's results ConfigMaps, by trial index. */
  public Map<Long, ResultRecord> records(String name) {
    Map<Long, ResultRecord> out = new TreeMap<>();
    for (ConfigMap cm : shards(name)) {
      cm.getData()
          .forEach(
              (k, v) -> {
                if (!ResultShards.isPointKey(k)) {
                  codec.decode(v).ifPresent(r -> out.put(r.trial(), r));
                }
              });
    }
    return out;
  }

  /** Every point record in the search's results ConfigMaps, by point index. */
  public Map<Long, PointRecord> points(String name) {
    Map<Long, PointRecord> out = new TreeMap<>();
    for (ConfigMap cm : shards(name)) {
      cm.getData()
          .forEach(
              (k, v) -> {
                if (ResultShards.isPointKey(k)) {
                  codec.decodePoint(v).ifPresent(p -> out.put(p.point(), p));
                }
              });
    }
    return out;
  }

  public List<ConfigMap> shards(String name) {
    return ns.client()
        .configMaps()
        .inNamespace(ns.name())
        .withLabel(GridSearch.NAME_LABEL, name)
        .list()
        .getItems();
  }

  /** Sets spec.suspend with a merge patch (nothing else of the spec is sent). */
  public void setSuspend(String name, boolean suspend) {
    ns.client()
        .resources(GridSearch.class)
        .inNamespace(ns.name())
        .withName(name)
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"suspend\":" + suspend + "}}");
  }

  /** The search's trial Jobs, from the API server. */
  public List<Job> jobs(String name) {
    return ns.client()
        .batch()
        .v1()
        .jobs()
        .inNamespace(ns.name())
        .withLabel(GridSearch.NAME_LABEL, name)
        .list()
        .getItems();
  }

  /** The search's trial pods, from the API server. */
  public List<Pod> pods(String name) {
    return ns.client()
        .pods()
        .inNamespace(ns.name())
        .withLabel(GridSearch.NAME_LABEL, name)
        .list()
        .getItems();
  }

  public String condition(GridSearch gs, String type) {
    return gs.getStatus().conditions().stream()
        .filter(c -> type.equals(c.getType()))
        .map(c -> c.getStatus() + "/" + c.getReason() + ": " + c.getMessage())
        .findFirst()
        .orElse("none");
  }
}
