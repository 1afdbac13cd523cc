package dev.gridsearch.operator.results;

import dev.gridsearch.operator.api.Objective.Goal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Orders ranked points best first; ties go to the lower point index, so the order is total and
 * stable. Only {@link PointState#Succeeded} points are ranked.
 */
public final class Leaderboard {
  /** The most entries the status can show (leaderboardSize is at most 50), plus the best. */
  public static final int MAX_ENTRIES = 50;

  private Leaderboard() {}

  public static Comparator<PointRecord> order(Goal goal) {
    Comparator<PointRecord> byValue = Comparator.comparingDouble(PointRecord::value);
    if (goal == Goal.Maximize) {
      byValue = byValue.reversed();
    }
    return byValue.thenComparingLong(PointRecord::point);
  }

  public static boolean ranked(PointRecord p) {
    return p.state() == PointState.Succeeded && p.value() != null;
  }

  /** The best {@code limit} ranked points, distinct by point. */
  public static List<PointRecord> top(Collection<PointRecord> points, Goal goal, int limit) {
    List<PointRecord> sorted = sorted(points, goal);
    List<PointRecord> out = new ArrayList<>();
    Set<Long> seen = new HashSet<>();
    for (PointRecord p : sorted) {
      if (out.size() == limit) {
        break;
      }
      if (seen.add(p.point())) {
        out.add(p);
      }
    }
    return out;
  }

  /**
   * Ranks of the ranked points, 1 = best, as scikit-learn's rank_test_score: equal values share the
   * lowest rank (method "min").
   */
  public static Map<Long, Integer> ranks(Collection<PointRecord> points, Goal goal) {
    List<PointRecord> sorted = sorted(points, goal);
    Map<Long, Integer> ranks = new HashMap<>();
    for (int i = 0; i < sorted.size(); i++) {
      PointRecord p = sorted.get(i);
      boolean tie = i > 0 && sorted.get(i - 1).value().doubleValue() == p.value();
      ranks.putIfAbsent(p.point(), tie ? ranks.get(sorted.get(i - 1).point()) : i + 1);
    }
    return ranks;
  }

  private static List<PointRecord> sorted(Collection<PointRecord> points, Goal goal) {
    List<PointRecord> sorted =
        new ArrayList<>(points.stream().filter(Leaderboard::ranked).toList());
    sorted.sort(order(goal));
    return sorted;
  }
}
