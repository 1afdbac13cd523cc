package dev.gridsearch.cli.view;

import dev.gridsearch.operator.results.ResultRecord;
import java.util.Comparator;
import java.util.function.Function;

/**
 * How --sort orders trials: the objective best first, any other metric or the duration ascending,
 * parameters in grid order; missing values last, also when reversed; ties by trial index.
 */
public final class TrialOrder {
  private TrialOrder() {}

  public static Comparator<ResultRecord> by(String key, SearchInfo info, boolean reverse) {
    Comparator<ResultRecord> c;
    if (key.equals("trial")) {
      c = Comparator.comparingLong(ResultRecord::trial);
    } else if (key.equals("duration")) {
      return nullsLast(r -> r.startTime() == null ? null : ResultRecord.seconds(r), reverse)
          .thenComparingLong(ResultRecord::trial);
    } else if (key.equals("state")) {
      c = Comparator.comparing(r -> r.state().name());
    } else if (info.parameters().contains(key)) {
      var axis = info.axis(key);
      c =
          Comparator.comparingLong(
              r -> {
                String v = r.parameters() == null ? null : r.parameters().get(key);
                long k = v == null || axis.isEmpty() ? -1 : axis.get().indexOf(v);
                return k < 0 ? Long.MAX_VALUE : k;
              });
    } else {
      boolean descending = key.equals(info.metric()) && info.maximize();
      return nullsLast(r -> TrialColumns.metric(r, key), descending != reverse)
          .thenComparingLong(ResultRecord::trial);
    }
    if (reverse) {
      c = c.reversed();
    }
    return c.thenComparingLong(ResultRecord::trial);
  }

  private static Comparator<ResultRecord> nullsLast(
      Function<ResultRecord, Double> f, boolean descending) {
    Comparator<Double> values = descending ? Comparator.reverseOrder() : Comparator.naturalOrder();
    return Comparator.comparing(f, Comparator.nullsLast(values));
  }
}
