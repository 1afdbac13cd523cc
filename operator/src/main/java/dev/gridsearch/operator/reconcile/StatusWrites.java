package dev.gridsearch.operator.reconcile;

import dev.gridsearch.operator.api.GridSearch;
import dev.gridsearch.operator.api.GridSearchStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides when a computed status is written. A change that only moves progress (counts, launched,
 * records, budget use, condition messages) waits up to {@link #DELAY} after the first such change,
 * so a busy search writes its status every few seconds rather than on every Job event. Anything
 * else (phase, conditions, best, leaderboard, shards) is written at once. The held status is what
 * the next reconcile plans from, so nothing it counts is lost while it waits (in the search's
 * {@link SearchMemory}); only a restart in that window falls back to the written one.
 */
final class StatusWrites {
  static final Duration DELAY = Duration.ofSeconds(5);

  /** The search as the planner should see it: with the status computed last, written or not. */
  static GridSearch latest(GridSearch search, SearchMemory memory) {
    if (memory.heldStatus == null) {
      return search;
    }
    GridSearch latest = new GridSearch();
    latest.setMetadata(search.getMetadata());
    latest.setSpec(search.getSpec());
    latest.setStatus(memory.heldStatus);
    return latest;
  }

  /**
   * Whether {@code next} is to be written now over {@code written} (the status on the server); if
   * not, how long it may wait. Equal statuses are neither written nor held.
   */
  static Decision decide(
      GridSearch search, SearchMemory memory, GridSearchStatus next, Instant now) {
    GridSearchStatus written = search.getStatus();
    Instant since = memory.heldStatus == null ? now : memory.heldSince;
    memory.heldStatus = null;
    memory.heldSince = null;
    if (Objects.equals(written, next)) {
      return Decision.NOTHING;
    }
    Instant due = since.plus(DELAY);
    if (!progressOnly(written, next) || !due.isAfter(now)) {
      return Decision.WRITE;
    }
    memory.heldStatus = next;
    memory.heldSince = since;
    return new Decision(false, Optional.of(Duration.between(now, due)));
  }

  /** Write now, or hold and look again after {@code after}. */
  record Decision(boolean write, Optional<Duration> after) {
    static final Decision WRITE = new Decision(true, Optional.empty());
    static final Decision NOTHING = new Decision(false, Optional.empty());
  }

  /** Whether the two differ only in what moves as trials progress. */
  static boolean progressOnly(GridSearchStatus a, GridSearchStatus b) {
    return a != null && b != null && Objects.equals(shape(a), shape(b));
  }

  private static GridSearchStatus shape(GridSearchStatus s) {
    GridSearchStatus.Preflight p = s.preflight();
    return s.toBuilder()
        .launched(null)
        .progress(null)
        .trials(null)
        .budget(null)
        .results(
            s.results() == null
                ? null
                : new GridSearchStatus.ResultsRef(s.results().configMaps(), 0))
        .preflight(
            p == null
                ? null
                : new GridSearchStatus.Preflight(
                    p.perTrial(), p.peak(), p.peakFitsQuota(), p.quota(), null))
        .conditions(
            s.conditions() == null
                ? null
                : s.conditions().stream().map(StatusWrites::withoutMessage).toList())
        .build();
  }

  private static Condition withoutMessage(Condition c) {
    return new ConditionBuilder(c).withMessage(null).build();
  }
}
