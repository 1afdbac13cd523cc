package dev.gridsearch.operator.reconcile;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;

/**
 * Limits Job creations across all searches (Fabric8 has no client-side rate limit). It never
 * blocks: a reconcile takes what it is granted and reschedules itself for the rest.
 *
 * <p>It grants at most {@code max(1, floor(rate))} creations in any window of {@code max(1 s,
 * 1/rate)}. So no one-second window ever holds more than {@code rate} creations, and a caller that
 * keeps asking gets {@code floor(rate)} per second; a rate below 1/s grants one creation every
 * {@code 1/rate} seconds. A whole window's worth may be granted at once.
 */
public final class JobCreationLimiter {
  private final Clock clock;
  private final int perWindow;
  private final long windowNanos;
  // A sliding window, not a token bucket: a full bucket plus one second's refill is twice the rate.
  private final ArrayDeque<Grant> grants = new ArrayDeque<>();
  private int inWindow;
  private long lastClockNanos;
  private long stepsBack;

  private record Grant(long nanos, int count) {}

  public JobCreationLimiter(Clock clock, double perSecond) {
    if (!(perSecond > 0)) {
      throw new IllegalArgumentException(
          "the Job creation rate must be positive, got " + perSecond);
    }
    this.clock = Objects.requireNonNull(clock, "clock");
    this.perWindow = (int) Math.min(Integer.MAX_VALUE, Math.max(1, Math.floor(perSecond)));
    this.windowNanos = (long) Math.max(1e9, Math.ceil(perWindow * 1e9 / perSecond));
    this.lastClockNanos = clockNanos();
  }

  /** Takes up to {@code wanted} creations and returns how many were granted. */
  public synchronized int tryAcquire(int wanted) {
    if (wanted < 0) {
      throw new IllegalArgumentException("wanted must not be negative, got " + wanted);
    }
    long now = now();
    expire(now);
    int grant = Math.min(wanted, perWindow - inWindow);
    if (grant > 0) {
      grants.addLast(new Grant(now, grant));
      inWindow += grant;
    }
    return grant;
  }

  /**
   * Gives back creations granted and not used (a plan launched fewer), taking the latest grants
   * back: what was never created does not count against the window.
   */
  public synchronized void release(int unused) {
    int left = unused;
    while (left > 0 && !grants.isEmpty()) {
      Grant last = grants.removeLast();
      int back = Math.min(left, last.count());
      inWindow -= back;
      left -= back;
      if (back < last.count()) {
        grants.addLast(new Grant(last.nanos(), last.count() - back));
      }
    }
  }

  /** How long until one more creation can be granted: zero if one can be now. */
  public synchronized Duration untilNext() {
    long now = now();
    expire(now);
    if (inWindow < perWindow) {
      return Duration.ZERO;
    }
    return Duration.ofNanos(windowNanos - (now - grants.getFirst().nanos()));
  }

  private void expire(long now) {
    while (!grants.isEmpty() && now - grants.getFirst().nanos() >= windowNanos) {
      inWindow -= grants.removeFirst().count();
    }
  }

  // A wall clock can step back (NTP); our time stands still instead, or grants would stay for the
  // step.
  private long now() {
    long clockNanos = clockNanos();
    if (clockNanos < lastClockNanos) {
      stepsBack += lastClockNanos - clockNanos;
    }
    lastClockNanos = clockNanos;
    return clockNanos + stepsBack;
  }

  private long clockNanos() {
    var i = clock.instant();
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }
}
