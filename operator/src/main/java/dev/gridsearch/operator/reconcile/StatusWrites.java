package dev.gridsearch.operator.reconcile;

import dev.gridsearch.operator.api.GridSearch;
import dev.gridsearch.operator.api.GridSearchStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides when a computed status is written. A change that only moves progress (counts, launched, records, budget
 * use, condition messages) waits up to {@link #DELAY} after the first such change, so a busy search writes its
 * status every few seconds rather than on every Job event. Anything else (phase, conditions, best, leaderboard,
 * shards) is written at once. The held status is what the next reconcile plans from, so nothing it counts is lost
 * while it waits; only a restart in that window falls back to the written one.
 */
final class StatusWrites {
  static final Duration DELAY = Duration.ofSeconds(5);
  /** Searches deleted while holding a status would otherwise stay here for good. */
  private static final int MAX_HELD = 10_000;

  private record Held(String uid, GridSearchStatus status, Instant since) {}

  private final Map<String, Held> held = PlanActor.bounded(MAX_HELD, false);

  /** The search as the planner should see it: with the status computed last, written or not. */
  synchronized GridSearch latest(GridSearch search) {
    Held h = heldFor(search);
    if (h == null) {
      return search;
    }
    GridSearch latest = new GridSearch();
    latest.setMetadata(search.getMetadata());
    latest.setSpec(search.getSpec());
    latest.setStatus(h.status());
    return latest;
  }

  /**
   * Whether {@code next} is to be written now over {@code written} (the status on the server); if not, how long it
   * may wait. Equal statuses are neither written nor held.
   */
  synchronized Decision decide(GridSearch search, GridSearchStatus next, Instant now) {
    String key = key(search);
    GridSearchStatus written = search.getStatus();
    Held h = heldFor(search);
    if (Objects.equals(written, next)) {
      held.remove(key);
      return Decision.NOTHING;
    }
    Instant since = h == null ? now : h.since();
    Instant due = since.plus(DELAY);
    if (!progressOnly(written, next) || !due.isAfter(now)) {
      held.remove(key);
      return Decision.WRITE;
    }
    held.put(key, new Held(search.getMetadata().getUid(), next, since));
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
    return new GridSearchStatus(s.observedGeneration(), s.phase(), s.gridSize(), s.totalTrials(), null, null, null,
        s.best(), s.leaderboard(),
        s.results() == null ? null : new GridSearchStatus.ResultsRef(s.results().configMaps(), 0),
        s.startTime(), s.completionTime(), null,
        p == null ? null : new GridSearchStatus.Preflight(p.perTrial(), p.peak(), p.peakFitsQuota(), p.quota(), null),
        s.conditions() == null ? null : s.conditions().stream().map(StatusWrites::withoutMessage).toList());
  }

  private static Condition withoutMessage(Condition c) {
    return new ConditionBuilder(c).withMessage(null).build();
  }

  /** What is held for this very object: a search deleted and created again under its name starts afresh. */
  private Held heldFor(GridSearch search) {
    Held h = held.get(key(search));
    return h != null && h.uid().equals(search.getMetadata().getUid()) ? h : null;
  }

  private static String key(GridSearch search) {
    return search.getMetadata().getNamespace() + "/" + search.getMetadata().getName();
  }
}
