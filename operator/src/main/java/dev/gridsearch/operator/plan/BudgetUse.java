package dev.gridsearch.operator.plan;

import dev.gridsearch.operator.api.Budget;
import dev.gridsearch.operator.api.GridSearchStatus.BudgetStatus;
import dev.gridsearch.operator.trial.TrialObservation;
import dev.gridsearch.operator.trial.TrialState;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a search has spent of its budget: wall time since it started, and resource-hours (a trial's
 * requests times its wall time, summed over trials, finished and running).
 */
final class BudgetUse {
  private static final BigDecimal SECONDS_PER_HOUR = BigDecimal.valueOf(3600);

  private final Budget budget;
  private final Instant now;
  private final Optional<Instant> deadline;
  private final Duration elapsed;
  private final Map<String, BigDecimal> used = new LinkedHashMap<>();
  private final Map<String, BigDecimal> limits = new LinkedHashMap<>();
  private final Map<String, BigDecimal> ratePerHour = new LinkedHashMap<>();

  BudgetUse(
      Budget budget,
      Instant start,
      Instant now,
      double finishedTrialSeconds,
      List<TrialObservation> unfinished,
      Map<String, BigDecimal> perTrial) {
    this.budget = budget;
    this.now = now;
    this.elapsed = start == null ? Duration.ZERO : Duration.between(start, now);
    this.deadline =
        budget == null || budget.maxDuration() == null || start == null
            ? Optional.empty()
            : parse(budget.maxDuration()).map(start::plus);
    double runningSeconds = 0;
    int running = 0;
    for (TrialObservation o : unfinished) {
      if (o.state() == TrialState.Running && o.startTime() != null) {
        runningSeconds += Math.max(0, Duration.between(o.startTime(), now).toMillis() / 1000.0);
        running++;
      }
    }
    BigDecimal trialHours =
        BigDecimal.valueOf(finishedTrialSeconds + runningSeconds)
            .divide(SECONDS_PER_HOUR, MathContext.DECIMAL64);
    if (budget != null && budget.resourceHours() != null) {
      for (var e : budget.resourceHours().entrySet()) {
        BigDecimal request = perTrial.getOrDefault(e.getKey(), BigDecimal.ZERO);
        Optional<BigDecimal> limit = amount(e.getValue());
        if (limit.isEmpty()) {
          continue;
        }
        limits.put(e.getKey(), limit.get());
        used.put(e.getKey(), request.multiply(trialHours));
        ratePerHour.put(e.getKey(), request.multiply(BigDecimal.valueOf(running)));
      }
    }
  }

  /**
   * Positive quantities only; anything else was refused before trial 0, so a later bad edit is
   * ignored.
   */
  private static Optional<BigDecimal> amount(io.fabric8.kubernetes.api.model.Quantity q) {
    try {
      BigDecimal v = q.getNumericalAmount();
      return v.signum() > 0 ? Optional.of(v) : Optional.empty();
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private static Optional<Duration> parse(String text) {
    try {
      return Optional.of(GoDuration.parse(text));
    } catch (IllegalArgumentException e) {
      return Optional
          .empty(); // the CRD's pattern makes this unreachable; no deadline rather than a crash
    }
  }

  /** Why the budget is spent, if it is: the deadline passed, or a resource's hours are used up. */
  Optional<String> exhausted() {
    if (deadline.isPresent() && !now.isBefore(deadline.get())) {
      return Optional.of("budget.maxDuration " + budget.maxDuration() + " reached");
    }
    for (var e : limits.entrySet()) {
      BigDecimal u = used.get(e.getKey());
      if (u.compareTo(e.getValue()) >= 0) {
        return Optional.of(
            "budget.resourceHours."
                + e.getKey()
                + " used up: "
                + Amounts.hours(e.getKey(), u, e.getValue()));
      }
    }
    return Optional.empty();
  }

  /** When the budget will run out at the current pace: the next reconcile must come by then. */
  Optional<Duration> wakeAfter() {
    Optional<Duration> soonest = deadline.map(d -> Duration.between(now, d));
    for (var e : limits.entrySet()) {
      BigDecimal rate = ratePerHour.get(e.getKey());
      if (rate.signum() > 0) {
        BigDecimal hours =
            e.getValue()
                .subtract(used.get(e.getKey()))
                .max(BigDecimal.ZERO)
                .divide(rate, MathContext.DECIMAL64);
        Duration d =
            Duration.ofMillis(
                hours
                    .multiply(BigDecimal.valueOf(3_600_000))
                    .setScale(0, RoundingMode.CEILING)
                    .longValueExact());
        soonest = Optional.of(soonest.map(s -> s.compareTo(d) < 0 ? s : d).orElse(d));
      }
    }
    return soonest.map(d -> d.isNegative() ? Duration.ZERO : d);
  }

  Optional<BudgetStatus> status() {
    if (budget == null || (budget.maxDuration() == null && limits.isEmpty())) {
      return Optional.empty();
    }
    Map<String, String> hours = new LinkedHashMap<>();
    limits.forEach((k, limit) -> hours.put(k, Amounts.hours(k, used.get(k), limit)));
    return Optional.of(
        new BudgetStatus(
            GoDuration.format(elapsed), budget.maxDuration(), hours.isEmpty() ? null : hours));
  }
}
