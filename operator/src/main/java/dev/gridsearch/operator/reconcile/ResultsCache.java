package dev.gridsearch.operator.reconcile;

import dev.gridsearch.operator.api.Objective.Goal;
import dev.gridsearch.operator.results.ResultCodec;
import dev.gridsearch.operator.results.ResultShards;
import dev.gridsearch.operator.results.ResultsView;
import dev.gridsearch.operator.results.ShardSummary;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Summaries of a search's results shards, computed once per ConfigMap version (records are parsed
 * only when a shard changes) and kept in the search's {@link SearchMemory}.
 */
final class ResultsCache {
  private final ResultCodec codec;

  ResultsCache(ResultCodec codec) {
    this.codec = codec;
  }

  /**
   * The view of one search's shards among {@code configMaps} (its own, by owner); other names are
   * ignored.
   */
  ResultsView view(
      String gridSearch, SearchMemory memory, Collection<ConfigMap> configMaps, Goal goal) {
    Map<Integer, ShardSummary> byOrdinal = new TreeMap<>();
    for (ConfigMap cm : configMaps) {
      int ordinal = ResultShards.ordinal(gridSearch, cm.getMetadata().getName());
      if (ordinal >= 0) {
        byOrdinal.put(ordinal, summary(memory, cm, goal));
      }
    }
    Set<String> names =
        configMaps.stream().map(cm -> cm.getMetadata().getName()).collect(Collectors.toSet());
    memory.shards.keySet().removeIf(name -> !names.contains(name));
    return ResultsView.of(byOrdinal);
  }

  private ShardSummary summary(SearchMemory memory, ConfigMap cm, Goal goal) {
    String version = cm.getMetadata().getResourceVersion();
    ShardSummary cached = memory.shards.get(cm.getMetadata().getName());
    if (cached != null && cached.resourceVersion().equals(version)) {
      return cached;
    }
    ShardSummary fresh =
        ShardSummary.of(
            cm.getMetadata().getName(),
            version,
            cm.getData() == null ? Map.of() : cm.getData(),
            codec,
            goal);
    memory.shards.put(cm.getMetadata().getName(), fresh);
    return fresh;
  }
}
