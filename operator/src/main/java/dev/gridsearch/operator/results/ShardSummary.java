package dev.gridsearch.operator.results;

import dev.gridsearch.operator.api.Objective.Goal;
import dev.gridsearch.operator.trial.TrialState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What the planner needs from one results shard, computed once per shard version: the recorded
 * indexes, counts by state, how many were lost, the best records, and the bytes used (to place new
 * records). Never the records themselves.
 */
public record ShardSummary(
    String name,
    String resourceVersion,
    long[] sortedIndexes,
    Map<TrialState, Long> counts,
    List<ResultRecord> top,
    long bytes,
    int unreadable,
    int lost,
    double trialSeconds) {

  public static ShardSummary of(
      String name, String resourceVersion, Map<String, String> data, ResultCodec codec, Goal goal) {
    Map<TrialState, Long> counts = new EnumMap<>(TrialState.class);
    List<ResultRecord> successful = new ArrayList<>();
    long[] indexes = new long[data.size()];
    int n = 0;
    int unreadable = 0;
    int lost = 0;
    long bytes = 0;
    double seconds = 0;
    for (Map.Entry<String, String> e : data.entrySet()) {
      bytes += ResultShards.entryBytes(e.getKey(), e.getValue());
      var record = codec.decode(e.getValue());
      if (record.isEmpty() || record.get().state() == null) {
        unreadable++;
        continue;
      }
      ResultRecord r = record.get();
      indexes[n++] = r.trial();
      counts.merge(r.state(), 1L, Long::sum);
      lost += ResultRecord.RECORD_LOST.equals(r.reason()) ? 1 : 0;
      seconds += ResultRecord.seconds(r);
      if (r.value() != null) {
        successful.add(r);
      }
    }
    long[] sorted = Arrays.copyOf(indexes, n);
    Arrays.sort(sorted);
    return new ShardSummary(
        name,
        resourceVersion,
        sorted,
        counts,
        Leaderboard.top(successful, goal, Leaderboard.MAX_ENTRIES),
        bytes,
        unreadable,
        lost,
        seconds);
  }

  public boolean contains(long index) {
    return Arrays.binarySearch(sortedIndexes, index) >= 0;
  }

  public int records() {
    return sortedIndexes.length;
  }

  public long maxIndex() {
    return sortedIndexes.length == 0 ? -1 : sortedIndexes[sortedIndexes.length - 1];
  }
}
