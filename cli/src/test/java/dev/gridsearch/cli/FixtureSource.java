package dev.gridsearch.cli;

import dev.gridsearch.cli.source.SearchSource;
import dev.gridsearch.operator.api.GridSearch;
import dev.gridsearch.operator.results.ResultCodec;
import dev.gridsearch.operator.results.ResultRecord;
import dev.gridsearch.operator.results.ResultShards;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A search and its shards in memory, as the API server would return them. */
final class FixtureSource implements SearchSource {
  final List<GridSearch> searches = new ArrayList<>();
  final Map<String, Map<String, String>> shards = new LinkedHashMap<>();
  final Map<String, String> podLogs = new LinkedHashMap<>();
  int shardReads;

  static GridSearch parse(String yaml) {
    return new KubernetesSerialization().unmarshal(yaml, GridSearch.class);
  }

  FixtureSource add(GridSearch gs) {
    searches.add(gs);
    return this;
  }

  /** Stores records in shards of {@code perShard} records, named as the operator names them. */
  FixtureSource records(String search, List<ResultRecord> records, int perShard) {
    ResultCodec codec = new ResultCodec();
    for (int k = 0; k * perShard < records.size(); k++) {
      Map<String, String> data = new LinkedHashMap<>();
      for (ResultRecord r :
          records.subList(k * perShard, Math.min(records.size(), (k + 1) * perShard))) {
        data.put(Long.toString(r.trial()), codec.encode(r));
      }
      shards.put(ResultShards.shardName(search, k), data);
    }
    return this;
  }

  @Override
  public String namespace() {
    return "ml";
  }

  @Override
  public GridSearch get(String name) {
    return searches.stream()
        .filter(g -> g.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow(
            () -> new NotFound("gridsearch \"" + name + "\" not found in namespace \"ml\""));
  }

  @Override
  public List<GridSearch> list(boolean allNamespaces) {
    return searches;
  }

  @Override
  public List<String> shardNames(GridSearch search) {
    String name = search.getMetadata().getName();
    return shards.keySet().stream().filter(n -> ResultShards.ordinal(name, n) >= 0).toList();
  }

  @Override
  public Optional<Map<String, String>> shard(GridSearch search, String name) {
    shardReads++;
    return Optional.ofNullable(shards.get(name));
  }

  @Override
  public List<String> trialPods(GridSearch search, long trial) {
    String pod = search.getMetadata().getName() + "-" + trial + "-abcde";
    return podLogs.containsKey(pod) ? List.of(pod) : List.of();
  }

  @Override
  public void log(GridSearch search, String pod, boolean follow, Integer tail, OutputStream out)
      throws java.io.IOException {
    // In reads of 1 to 3 bytes, as a stream may deliver them: multi-byte characters are split.
    byte[] bytes = podLogs.get(pod).getBytes(StandardCharsets.UTF_8);
    for (int i = 0, n = 1; i < bytes.length; i += n, n = n % 3 + 1) {
      out.write(bytes, i, Math.min(n, bytes.length - i));
    }
  }
}
