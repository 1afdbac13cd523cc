package dev.gridsearch.operator.results;

import dev.gridsearch.operator.api.Objective.Goal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Orders successful trials best first; ties go to the lower index, so the order is total and
 * stable.
 */
public final class Leaderboard {
  /** The most entries the status can show (leaderboardSize is at most 50), plus the best. */
  public static final int MAX_ENTRIES = 50;

  private Leaderboard() {}

  public static Comparator<ResultRecord> order(Goal goal) {
    Comparator<ResultRecord> byValue = Comparator.comparingDouble(ResultRecord::value);
    if (goal == Goal.Maximize) {
      byValue = byValue.reversed();
    }
    return byValue.thenComparingLong(ResultRecord::trial);
  }

  /** The best {@code limit} of {@code records} that have a value, distinct by trial. */
  public static List<ResultRecord> top(List<ResultRecord> records, Goal goal, int limit) {
    List<ResultRecord> sorted =
        new ArrayList<>(records.stream().filter(r -> r.value() != null).toList());
    sorted.sort(order(goal));
    List<ResultRecord> out = new ArrayList<>();
    for (ResultRecord r : sorted) {
      if (out.size() == limit) {
        break;
      }
      if (out.stream().noneMatch(o -> o.trial() == r.trial())) {
        out.add(r);
      }
    }
    return out;
  }
}
