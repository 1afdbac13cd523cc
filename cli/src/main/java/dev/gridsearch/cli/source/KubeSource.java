package dev.gridsearch.cli.source;

import dev.gridsearch.operator.api.GridSearch;
import dev.gridsearch.operator.results.ResultShards;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapList;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads through the user's kubeconfig, with their RBAC: get/list GridSearches and ConfigMaps. */
public final class KubeSource implements SearchSource {
  private final KubernetesClient client;
  private final String namespace;

  public KubeSource(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  public KubernetesClient client() {
    return client;
  }

  @Override
  public String namespace() {
    return namespace;
  }

  @Override
  public GridSearch get(String name) {
    GridSearch gs = client.resources(GridSearch.class).inNamespace(namespace).withName(name).get();
    if (gs == null) {
      throw new NotFound(
          "gridsearch \"" + name + "\" not found in namespace \"" + namespace + "\"");
    }
    return gs;
  }

  @Override
  public List<GridSearch> list(boolean allNamespaces) {
    var op = client.resources(GridSearch.class);
    return (allNamespaces ? op.inAnyNamespace().list() : op.inNamespace(namespace).list())
        .getItems();
  }

  /**
   * The shards the status names (ordinal order); when it names none yet, the labelled ConfigMaps,
   * listed one page per shard so memory stays one shard.
   */
  @Override
  public List<String> shardNames(GridSearch search) {
    String name = search.getMetadata().getName();
    Set<String> names = new LinkedHashSet<>();
    if (search.getStatus() != null && search.getStatus().results() != null) {
      names.addAll(search.getStatus().results().configMaps());
    }
    String next = null;
    while (names.isEmpty() || next != null) {
      ConfigMapList page =
          client
              .configMaps()
              .inNamespace(search.getMetadata().getNamespace())
              .withLabel(GridSearch.NAME_LABEL, name)
              .list(new ListOptionsBuilder().withLimit(1L).withContinue(next).build());
      page.getItems().forEach(cm -> names.add(cm.getMetadata().getName()));
      next = page.getMetadata().getContinue();
      if (next != null && next.isEmpty()) {
        next = null;
      }
      if (next == null) {
        break;
      }
    }
    List<String> ordered = new ArrayList<>(names);
    ordered.removeIf(n -> ResultShards.ordinal(name, n) < 0);
    ordered.sort(Comparator.comparingInt(n -> ResultShards.ordinal(name, n)));
    return ordered;
  }

  @Override
  public Optional<Map<String, String>> shard(GridSearch search, String name) {
    ConfigMap cm =
        client.configMaps().inNamespace(search.getMetadata().getNamespace()).withName(name).get();
    return cm == null
        ? Optional.empty()
        : Optional.of(cm.getData() == null ? Map.of() : cm.getData());
  }

  @Override
  public List<String> trialPods(GridSearch search, long trial) {
    return client
        .pods()
        .inNamespace(search.getMetadata().getNamespace())
        .withLabel(GridSearch.NAME_LABEL, search.getMetadata().getName())
        .withLabel(GridSearch.TRIAL_INDEX_LABEL, Long.toString(trial))
        .list()
        .getItems()
        .stream()
        .sorted(
            Comparator.comparing(
                    (io.fabric8.kubernetes.api.model.Pod p) ->
                        p.getMetadata().getCreationTimestamp() == null
                            ? ""
                            : p.getMetadata().getCreationTimestamp())
                .reversed())
        .map(p -> p.getMetadata().getName())
        .toList();
  }

  @Override
  public void log(
      GridSearch search, String pod, boolean follow, Integer tailLines, java.io.OutputStream out)
      throws java.io.IOException {
    var op = client.pods().inNamespace(search.getMetadata().getNamespace()).withName(pod);
    var container =
        op.get() != null && op.get().getSpec().getContainers().size() > 1
            ? op.inContainer(op.get().getSpec().getContainers().get(0).getName())
            : op;
    var lines = tailLines == null ? container : container.tailingLines(tailLines);
    if (follow) {
      try (var watch = lines.watchLog(out)) {
        // watchLog copies until the container ends; wait for the pod to finish.
        op.waitUntilCondition(
            p ->
                p == null
                    || "Succeeded".equals(p.getStatus().getPhase())
                    || "Failed".equals(p.getStatus().getPhase()),
            7,
            java.util.concurrent.TimeUnit.DAYS);
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    } else {
      try (var in = lines.getLogInputStream()) {
        in.transferTo(out);
      }
    }
  }
}
