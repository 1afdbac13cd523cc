package dev.gridsearch.operator.reconcile;

import java.time.Clock;
import java.time.Duration;

/**
 * A token bucket for Job creations, shared by all searches (Fabric8 has no client-side rate limit). It never
 * blocks: a reconcile takes what it is granted and reschedules itself for the rest.
 */
public final class JobCreationLimiter {
  private final Clock clock;
  private final double perSecond;
  private final double burst;
  private double tokens;
  private long lastNanos;

  public JobCreationLimiter(Clock clock, double perSecond) {
    if (perSecond <= 0) {
      throw new IllegalArgumentException("the Job creation rate must be positive, got " + perSecond);
    }
    this.clock = clock;
    this.perSecond = perSecond;
    this.burst = Math.max(1, perSecond);
    this.tokens = burst;
    this.lastNanos = nanos();
  }

  /** Takes up to {@code wanted} tokens and returns how many were granted. */
  public synchronized int tryAcquire(int wanted) {
    refill();
    int granted = (int) Math.min(wanted, Math.floor(tokens));
    tokens -= granted;
    return granted;
  }

  /** Gives back tokens taken and not used (never above the burst). */
  public synchronized void release(int unused) {
    if (unused > 0) {
      tokens = Math.min(burst, tokens + unused);
    }
  }

  /** How long until one more token is available. */
  public synchronized Duration untilNext() {
    refill();
    double missing = Math.max(0, 1 - tokens);
    return Duration.ofNanos((long) Math.ceil(missing / perSecond * 1e9));
  }

  private void refill() {
    long now = nanos();
    tokens = Math.min(burst, tokens + (now - lastNanos) / 1e9 * perSecond);
    lastNanos = now;
  }

  private long nanos() {
    var i = clock.instant();
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }
}
