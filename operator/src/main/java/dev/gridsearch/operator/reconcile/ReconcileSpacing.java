package dev.gridsearch.operator.reconcile;

import io.javaoperatorsdk.operator.processing.event.rate.RateLimiter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Keeps a search's reconciles at least {@code spacing} apart: the events of a busy search (every
 * Job and Pod change) then share one reconcile, one status write and one round of launches instead
 * of each having their own.
 */
public final class ReconcileSpacing implements RateLimiter<ReconcileSpacing.Last> {
  /** When the search was last let through. */
  public static final class Last implements RateLimiter.RateLimitState {
    private Instant at;
  }

  /** Long enough to gather a busy search's events, short next to any trial. */
  public static final Duration DEFAULT = Duration.ofMillis(200);

  private final Clock clock;
  private final Duration spacing;

  public ReconcileSpacing(Clock clock, Duration spacing) {
    this.clock = clock;
    this.spacing = spacing;
  }

  @Override
  public Optional<Duration> isLimited(RateLimiter.RateLimitState state) {
    Last last = (Last) state;
    Instant now = clock.instant();
    synchronized (last) {
      if (last.at != null && now.isBefore(last.at.plus(spacing))) {
        return Optional.of(Duration.between(now, last.at.plus(spacing)));
      }
      last.at = now;
      return Optional.empty();
    }
  }

  @Override
  public Last initState() {
    return new Last();
  }
}
