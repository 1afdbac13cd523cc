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
 * trial indexes and points, counts by state, how many were lost, the best points, the records of
 * trials whose point has no record here yet, and the bytes used (to place new records). Never all
 * the records themselves.
 *
 * @param openTrials trial records whose point record is not in this shard: points still running, or
 *     (at most a few per shard boundary) points whose record went to the next shard
 */
public record ShardSummary(
    String name,
    String resourceVersion,
    long[] sortedIndexes,
    long[] sortedPoints,
    Map<TrialState, Long> counts,
    Map<PointState, Long> pointCounts,
    List<PointRecord> top,
    List<ResultRecord> openTrials,
    long bytes,
    int unreadable,
    int lost,
    double trialSeconds) {

  public static ShardSummary of(
      String name, String resourceVersion, Map<String, String> data, ResultCodec codec, Goal goal) {
    Map<TrialState, Long> counts = new EnumMap<>(TrialState.class);
    Map<PointState, Long> pointCounts = new EnumMap<>(PointState.class);
    List<PointRecord> ranked = new ArrayList<>();
    List<ResultRecord> trials = new ArrayList<>();
    long[] indexes = new long[data.size()];
    long[] points = new long[data.size()];
    int n = 0;
    int p = 0;
    int unreadable = 0;
    int lost = 0;
    long bytes = 0;
    double seconds = 0;
    for (Map.Entry<String, String> e : data.entrySet()) {
      bytes += ResultShards.entryBytes(e.getKey(), e.getValue());
      if (ResultShards.isPointKey(e.getKey())) {
        var point = codec.decodePoint(e.getValue());
        if (point.isEmpty()) {
          unreadable++;
          continue;
        }
        points[p++] = point.get().point();
        pointCounts.merge(point.get().state(), 1L, Long::sum);
        if (Leaderboard.ranked(point.get())) {
          ranked.add(point.get());
        }
        continue;
      }
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
      trials.add(r);
    }
    long[] sorted = Arrays.copyOf(indexes, n);
    Arrays.sort(sorted);
    long[] sortedPoints = Arrays.copyOf(points, p);
    Arrays.sort(sortedPoints);
    List<ResultRecord> open =
        trials.stream()
            .filter(r -> Arrays.binarySearch(sortedPoints, r.pointOrTrial()) < 0)
            .toList();
    return new ShardSummary(
        name,
        resourceVersion,
        sorted,
        sortedPoints,
        counts,
        pointCounts,
        Leaderboard.top(ranked, goal, Leaderboard.MAX_ENTRIES),
        open,
        bytes,
        unreadable,
        lost,
        seconds);
  }

  public boolean contains(long index) {
    return Arrays.binarySearch(sortedIndexes, index) >= 0;
  }

  public boolean containsPoint(long point) {
    return Arrays.binarySearch(sortedPoints, point) >= 0;
  }

  public int records() {
    return sortedIndexes.length;
  }

  public int pointRecords() {
    return sortedPoints.length;
  }

  public long maxIndex() {
    return sortedIndexes.length == 0 ? -1 : sortedIndexes[sortedIndexes.length - 1];
  }
}
