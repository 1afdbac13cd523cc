package dev.gridsearch.operator.points;

import dev.gridsearch.operator.api.Objective;
import dev.gridsearch.operator.grid.TrialLayout;
import dev.gridsearch.operator.grid.ValueFormat;
import dev.gridsearch.operator.results.MetricStats;
import dev.gridsearch.operator.results.PointRecord;
import dev.gridsearch.operator.results.PointState;
import dev.gridsearch.operator.results.ResultRecord;
import dev.gridsearch.operator.trial.TrialState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A point's record from its trials' records: the aggregates over repeats and folds, and its state.
 */
public final class Points {
  private Points() {}

  /**
   * The record of {@code point} from the records of its trials; a trial without a record never ran.
   * Pure: the planner calls it once every trial of the point has a record, or when the search ends.
   */
  public static PointRecord aggregate(
      long point,
      Map<String, String> params,
      TrialLayout layout,
      Collection<ResultRecord> trials,
      Objective objective) {
    List<ResultRecord> succeeded = new ArrayList<>();
    ResultRecord firstFailure = null;
    ResultRecord firstStop = null;
    List<Double> seconds = new ArrayList<>();
    for (ResultRecord r : trials) {
      seconds.add(ResultRecord.seconds(r));
      if (r.state() == TrialState.Succeeded) {
        succeeded.add(r);
      } else if (r.state().isFailure()) {
        firstFailure = earlier(firstFailure, r);
      } else {
        firstStop = earlier(firstStop, r);
      }
    }
    succeeded.sort(Comparator.comparingLong(ResultRecord::trial));

    Map<String, List<Double>> values = new LinkedHashMap<>();
    Map<String, SortedMap<Integer, Double>> splits = new LinkedHashMap<>();
    for (ResultRecord r : succeeded) {
      Map<String, Double> m = new LinkedHashMap<>();
      if (r.value() != null) {
        m.put(objective.metric(), r.value());
      }
      if (r.metrics() != null) {
        r.metrics().forEach(m::putIfAbsent);
      }
      m.forEach(
          (name, v) -> {
            values.computeIfAbsent(name, k -> new ArrayList<>()).add(v);
            splits.computeIfAbsent(name, k -> new TreeMap<>()).put(layout.split(r.trial()), v);
          });
    }
    Map<String, MetricStats> metrics = new LinkedHashMap<>();
    values.forEach((name, vs) -> metrics.put(name, MetricStats.of(toArray(vs))));
    MetricStats objectiveStats = metrics.get(objective.metric());
    Double value =
        objectiveStats == null ? null : objectiveStats.get(objective.aggregateOrDefault());

    Verdict verdict =
        verdict(
            objective,
            layout.perPoint(),
            trials.size(),
            succeeded.size(),
            firstFailure,
            firstStop,
            metrics);
    MetricStats time = seconds.isEmpty() ? null : MetricStats.of(toArray(seconds));
    return new PointRecord(
        point,
        verdict.state(),
        params,
        layout.perPoint(),
        succeeded.size(),
        value,
        verdict.reason(),
        metrics,
        splits,
        time == null ? null : time.mean(),
        time == null ? null : time.std());
  }

  private record Verdict(PointState state, String reason) {}

  /** A failed trial disqualifies (unless Skip), a stopped or missing one leaves it incomplete. */
  private static Verdict verdict(
      Objective objective,
      int perPoint,
      int recorded,
      int succeeded,
      ResultRecord firstFailure,
      ResultRecord firstStop,
      Map<String, MetricStats> metrics) {
    if (firstFailure != null && !objective.skipsFailedTrials()) {
      return new Verdict(
          PointState.Failed, "trial " + firstFailure.trial() + " " + describe(firstFailure));
    }
    if (firstStop != null) {
      return new Verdict(
          PointState.Stopped, "trial " + firstStop.trial() + " " + describe(firstStop));
    }
    if (recorded < perPoint) {
      return new Verdict(
          PointState.Stopped, (perPoint - recorded) + " of its " + perPoint + " trials never ran");
    }
    if (succeeded == 0) {
      return new Verdict(
          PointState.Failed,
          "no trial succeeded; trial " + firstFailure.trial() + " " + describe(firstFailure));
    }
    return violation(objective, metrics, succeeded)
        .map(why -> new Verdict(PointState.Infeasible, why))
        .orElse(new Verdict(PointState.Succeeded, null));
  }

  /** The first constraint the aggregates break, said with the value that breaks it. */
  private static Optional<String> violation(
      Objective objective, Map<String, MetricStats> metrics, int succeeded) {
    for (String text :
        objective.constraints() == null ? List.<String>of() : objective.constraints()) {
      Optional<Constraint> parsed = Constraint.parse(text);
      if (parsed.isEmpty()) {
        continue; // the admission pattern refuses it first
      }
      Constraint c = parsed.get();
      MetricStats s = metrics.get(c.metric());
      if (s == null || s.n() < succeeded) {
        return Optional.of(
            "constraint " + c.text() + ": " + c.metric() + " was not reported by every trial");
      }
      double aggregate = s.get(objective.aggregateOrDefault());
      if (!c.holds(aggregate)) {
        return Optional.of(
            "constraint "
                + c.text()
                + ": "
                + objective.aggregateOrDefault()
                + " "
                + c.metric()
                + " = "
                + ValueFormat.render(aggregate));
      }
    }
    return Optional.empty();
  }

  private static ResultRecord earlier(ResultRecord a, ResultRecord b) {
    return a == null || b.trial() < a.trial() ? b : a;
  }

  private static String describe(ResultRecord r) {
    return r.state() + (r.reason() == null ? "" : " (" + r.reason() + ")");
  }

  private static double[] toArray(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
