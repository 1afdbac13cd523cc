package dev.gridsearch.operator.reconcile;

import dev.gridsearch.operator.api.Objective.Goal;
import dev.gridsearch.operator.results.ResultCodec;
import dev.gridsearch.operator.results.ResultShards;
import dev.gridsearch.operator.results.ResultsView;
import dev.gridsearch.operator.results.ShardSummary;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** Summaries of results shards, computed once per ConfigMap version (records are parsed only when a shard changes). */
final class ResultsCache {
  private static final int MAX_ENTRIES = 20_000;

  private final ResultCodec codec;
  private final Map<String, ShardSummary> summaries = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, ShardSummary> eldest) {
      return size() > MAX_ENTRIES;
    }
  };

  ResultsCache(ResultCodec codec) {
    this.codec = codec;
  }

  /** The view of one search's shards among {@code configMaps}; other ConfigMaps are ignored. */
  ResultsView view(String gridSearch, Collection<ConfigMap> configMaps, Goal goal) {
    Map<Integer, ShardSummary> byOrdinal = new TreeMap<>();
    for (ConfigMap cm : configMaps) {
      int ordinal = ResultShards.ordinal(gridSearch, cm.getMetadata().getName());
      if (ordinal >= 0) {
        byOrdinal.put(ordinal, summary(cm, goal));
      }
    }
    return ResultsView.of(byOrdinal);
  }

  private ShardSummary summary(ConfigMap cm, Goal goal) {
    String key = cm.getMetadata().getNamespace() + "/" + cm.getMetadata().getName() + "/" + goal;
    String version = cm.getMetadata().getResourceVersion();
    synchronized (summaries) {
      ShardSummary cached = summaries.get(key);
      if (cached != null && cached.resourceVersion().equals(version)) {
        return cached;
      }
    }
    ShardSummary fresh = ShardSummary.of(cm.getMetadata().getName(), version,
        cm.getData() == null ? Map.of() : cm.getData(), codec, goal);
    synchronized (summaries) {
      summaries.put(key, fresh);
    }
    return fresh;
  }
}
