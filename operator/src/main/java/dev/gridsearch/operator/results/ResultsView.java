package dev.gridsearch.operator.results;

import dev.gridsearch.operator.api.Objective.Goal;
import dev.gridsearch.operator.trial.TrialState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The recorded results of one search, merged from its shard summaries (in ordinal order). */
public record ResultsView(List<ShardSummary> shards, List<Integer> ordinals) {
  public static final ResultsView EMPTY = new ResultsView(List.of(), List.of());

  public boolean isRecorded(long index) {
    for (ShardSummary s : shards) {
      if (s.contains(index)) {
        return true;
      }
    }
    return false;
  }

  /** Wall time of every recorded trial, in seconds. */
  public double trialSeconds() {
    return shards.stream().mapToDouble(ShardSummary::trialSeconds).sum();
  }

  public long records() {
    return shards.stream().mapToLong(ShardSummary::records).sum();
  }

  public Map<TrialState, Long> counts() {
    Map<TrialState, Long> counts = new EnumMap<>(TrialState.class);
    shards.forEach(s -> s.counts().forEach((k, v) -> counts.merge(k, v, Long::sum)));
    return counts;
  }

  public boolean isPointRecorded(long point) {
    for (ShardSummary s : shards) {
      if (s.containsPoint(point)) {
        return true;
      }
    }
    return false;
  }

  public long pointRecords() {
    return shards.stream().mapToLong(ShardSummary::pointRecords).sum();
  }

  /** Point records by state. */
  public Map<PointState, Long> pointCounts() {
    Map<PointState, Long> counts = new EnumMap<>(PointState.class);
    shards.forEach(s -> s.pointCounts().forEach((k, v) -> counts.merge(k, v, Long::sum)));
    return counts;
  }

  /** The best ranked points. */
  public List<PointRecord> top(Goal goal, int limit) {
    List<PointRecord> all = new ArrayList<>();
    shards.forEach(s -> all.addAll(s.top()));
    return Leaderboard.top(all, goal, limit);
  }

  /** Trial records of the points that have no record yet, in any shard. */
  public List<ResultRecord> openTrials() {
    List<ResultRecord> open = new ArrayList<>();
    for (ShardSummary s : shards) {
      for (ResultRecord r : s.openTrials()) {
        if (!isPointRecorded(r.pointOrTrial())) {
          open.add(r);
        }
      }
    }
    return open;
  }

  /** The highest recorded index, or -1. */
  public long maxIndex() {
    return shards.stream().mapToLong(ShardSummary::maxIndex).max().orElse(-1);
  }

  public List<String> names() {
    return shards.stream().map(ShardSummary::name).toList();
  }

  /** Records in shards that could not be read (hand-edited or corrupted). */
  public long unreadable() {
    return shards.stream().mapToLong(ShardSummary::unreadable).sum();
  }

  /**
   * Records of trials whose first record was deleted with its results ConfigMap (reason
   * RecordLost).
   */
  public long lost() {
    return shards.stream().mapToLong(ShardSummary::lost).sum();
  }

  public int lastOrdinal() {
    return ordinals.isEmpty() ? -1 : ordinals.get(ordinals.size() - 1);
  }

  public long lastBytes() {
    return shards.isEmpty() ? 0 : shards.get(shards.size() - 1).bytes();
  }

  /** Builds a view from summaries with their ordinals, in any order. */
  public static ResultsView of(Map<Integer, ShardSummary> byOrdinal) {
    List<Integer> ordinals = byOrdinal.keySet().stream().sorted(Comparator.naturalOrder()).toList();
    return new ResultsView(ordinals.stream().map(byOrdinal::get).toList(), ordinals);
  }
}
