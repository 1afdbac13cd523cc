package dev.gridsearch.operator.results;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where records go: ConfigMaps {@code <gridsearch>-results-<k>}, each kept under 900 KiB of data.
 */
public final class ResultShards {
  public static final long MAX_SHARD_BYTES = 900L * 1024;
  private static final String SUFFIX = "-results-";

  private ResultShards() {}

  public static String shardName(String gridSearch, int ordinal) {
    return gridSearch + SUFFIX + ordinal;
  }

  /** The shard's ordinal, or -1 when the name is not one of this search's shards. */
  public static int ordinal(String gridSearch, String configMapName) {
    String prefix = gridSearch + SUFFIX;
    if (!configMapName.startsWith(prefix)) {
      return -1;
    }
    try {
      return Integer.parseInt(configMapName.substring(prefix.length()));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static final String POINT_KEY = "point-";

  /** The key of a point's record; trial records are keyed by the bare index. */
  public static String pointKey(long point) {
    return POINT_KEY + point;
  }

  public static boolean isPointKey(String key) {
    return key.startsWith(POINT_KEY);
  }

  static long entryBytes(String key, String value) {
    return key.getBytes(StandardCharsets.UTF_8).length
        + value.getBytes(StandardCharsets.UTF_8).length;
  }

  /** New entries for one shard: added to an existing ConfigMap, or a ConfigMap to create. */
  public record ShardWrite(String name, boolean create, Map<String, String> entries) {}

  /**
   * Places encoded records (key = trial index or {@link #pointKey}) after the existing shards: into
   * the last one ({@code lastOrdinal}, holding {@code lastBytes}; -1 when there is none) while it
   * has room, then into new ones.
   */
  public static List<ShardWrite> place(
      String gridSearch, int lastOrdinal, long lastBytes, Map<String, String> entries) {
    List<ShardWrite> writes = new ArrayList<>();
    int ordinal = Math.max(lastOrdinal, 0);
    boolean create = lastOrdinal < 0;
    long used = lastOrdinal < 0 ? 0 : lastBytes;
    Map<String, String> current = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : entries.entrySet()) {
      long size = entryBytes(e.getKey(), e.getValue());
      if (used + size > MAX_SHARD_BYTES && (used > 0 || !current.isEmpty())) {
        if (!current.isEmpty()) {
          writes.add(new ShardWrite(shardName(gridSearch, ordinal), create, current));
        }
        ordinal++;
        create = true;
        used = 0;
        current = new LinkedHashMap<>();
      }
      current.put(e.getKey(), e.getValue());
      used += size;
    }
    if (!current.isEmpty()) {
      writes.add(new ShardWrite(shardName(gridSearch, ordinal), create, current));
    }
    return writes;
  }
}
