package dev.gridsearch.cli.source;

import dev.gridsearch.operator.api.GridSearch;
import dev.gridsearch.operator.results.PointRecord;
import dev.gridsearch.operator.results.ResultCodec;
import dev.gridsearch.operator.results.ResultRecord;
import dev.gridsearch.operator.results.ResultShards;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Streams a search's trial records shard by shard: at most one shard (under 900 KiB) is held at a
 * time, so any consumer that keeps bounded state runs in bounded memory whatever the search's size.
 */
public final class TrialRecords {
  private final SearchSource source;
  private final ResultCodec codec = new ResultCodec();

  public TrialRecords(SearchSource source) {
    this.source = source;
  }

  /** What a pass read: records, entries that were not records, shards that had gone. */
  public record Pass(long records, long unreadable, long missingShards) {}

  /** Visits every trial record, in shard order and by trial index within a shard. */
  public Pass forEach(GridSearch search, Consumer<ResultRecord> visitor) {
    return forEach(search, visitor, p -> {});
  }

  /**
   * Visits every trial record and every point record (keys point-
   *
   * <p>), shard by shard.
   */
  public Pass forEach(
      GridSearch search, Consumer<ResultRecord> visitor, Consumer<PointRecord> points) {
    long records = 0;
    long unreadable = 0;
    long missing = 0;
    for (String shard : source.shardNames(search)) {
      var data = source.shard(search, shard);
      if (data.isEmpty()) {
        missing++;
        continue;
      }
      List<Map.Entry<Long, String>> entries = new ArrayList<>(data.get().size());
      for (Map.Entry<String, String> e : data.get().entrySet()) {
        if (isTrialKey(e.getKey())) {
          entries.add(Map.entry(Long.parseLong(e.getKey()), e.getValue()));
        } else if (ResultShards.isPointKey(e.getKey())) {
          var p = codec.decodePoint(e.getValue());
          if (p.isPresent()) {
            points.accept(p.get());
          } else {
            unreadable++;
          }
        }
      }
      entries.sort(Map.Entry.comparingByKey());
      for (Map.Entry<Long, String> e : entries) {
        var record = codec.decode(e.getValue());
        if (record.isEmpty() || record.get().state() == null) {
          unreadable++;
          continue;
        }
        records++;
        visitor.accept(record.get());
      }
    }
    return new Pass(records, unreadable, missing);
  }

  /** Trial records are keyed by their index. */
  static boolean isTrialKey(String key) {
    if (key.isEmpty() || key.length() > 18) {
      return false;
    }
    for (int i = 0; i < key.length(); i++) {
      if (!Character.isDigit(key.charAt(i))) {
        return false;
      }
    }
    return true;
  }
}
