package dev.gridsearch.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

/** The limiter against a simulated clock: no sleeps, no timing; random runs are seeded. */
class JobCreationLimiterTest {
  private static final long SECOND = 1_000_000_000L;

  /** A clock that moves only when told to. */
  static final class TestClock extends Clock {
    private Instant now = Instant.parse("2026-12-01T12:00:00Z");

    void advance(long nanos) {
      now = now.plusNanos(nanos);
    }

    long nanos() {
      return now.getEpochSecond() * SECOND + now.getNano();
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  /**
   * One call: wait {@code gapNanos}, then ask for {@code wanted}, or, if {@code probe}, check
   * untilNext().
   */
  record Step(long gapNanos, int wanted, boolean probe) {}

  record Granted(long nanos, int count) {}

  /**
   * Creations per second that the limiter promises to reach: floor(rate), or rate itself below 1/s.
   */
  private static double sustained(double rate) {
    return rate < 1 ? rate : Math.floor(rate);
  }

  /** The largest number of creations granted in any window [t, t + window). */
  private static int busiestWindow(List<Granted> granted, long windowNanos) {
    int busiest = 0;
    int sum = 0;
    int first = 0;
    for (Granted g : granted) {
      sum += g.count();
      while (granted.get(first).nanos() <= g.nanos() - windowNanos) {
        sum -= granted.get(first++).count();
      }
      busiest = Math.max(busiest, sum);
    }
    return busiest;
  }

  /** A rate from the seed: common ones, rates below 1/s, and fractional rates up to 500/s. */
  private static double rate(Random random) {
    return switch (random.nextInt(3)) {
      case 0 -> new double[] {0.5, 1, 2.5, 50, 333.3}[random.nextInt(5)];
      case 1 -> 0.05 + 0.95 * random.nextDouble();
      default -> 1 + 499 * random.nextDouble();
    };
  }

  /** Mostly bursts of calls a few ms apart, some long pauses; mostly small requests, some large. */
  private static List<Step> steps(Random random) {
    List<Step> steps = new ArrayList<>();
    for (int i = 1 + random.nextInt(800); i > 0; i--) {
      int gapKind = random.nextInt(10);
      long gap =
          gapKind < 2
              ? 0
              : gapKind < 7
                  ? 1 + (long) (random.nextDouble() * SECOND / 100)
                  : 1 + (long) (random.nextDouble() * 3 * SECOND);
      int sizeKind = random.nextInt(10);
      int wanted =
          sizeKind < 6
              ? random.nextInt(4)
              : sizeKind < 9 ? 4 + random.nextInt(197) : 201 + random.nextInt(1800);
      steps.add(new Step(gap, wanted, random.nextInt(5) == 0));
    }
    return steps;
  }

  /**
   * Random calls at random times: no window of one second grants more than the rate (or, below 1/s,
   * more than one per 1/rate seconds), and untilNext() says exactly when the next grant comes.
   */
  @RepeatedTest(300)
  void neverMoreThanTheRateInAnySecondAndUntilNextIsExact(RepetitionInfo repetition) {
    long seed = repetition.getCurrentRepetition();
    Random random = new Random(seed);
    double rate = rate(random);
    List<Step> steps = steps(random);
    TestClock clock = new TestClock();
    JobCreationLimiter limiter = new JobCreationLimiter(clock, rate);
    List<Granted> granted = new ArrayList<>();
    for (Step step : steps) {
      clock.advance(step.gapNanos());
      if (!step.probe()) {
        int got = limiter.tryAcquire(step.wanted());
        assertThat(got).isBetween(0, step.wanted());
        if (got > 0) {
          granted.add(new Granted(clock.nanos(), got));
        }
        continue;
      }
      Duration wait = limiter.untilNext();
      assertThat(wait.isNegative()).as("untilNext() %s", wait).isFalse();
      if (!wait.isZero()) {
        clock.advance(wait.toNanos() - 1);
        assertThat(limiter.tryAcquire(1))
            .as("1 ns before untilNext() %s (seed %s)", wait, seed)
            .isZero();
        clock.advance(1);
      }
      assertThat(limiter.tryAcquire(1))
          .as("once untilNext() %s has passed (seed %s)", wait, seed)
          .isOne();
      granted.add(new Granted(clock.nanos(), 1));
      if (!limiter.untilNext().isZero()) {
        assertThat(limiter.tryAcquire(1))
            .as("while untilNext() is positive (seed %s)", seed)
            .isZero();
      }
    }
    assertThat(busiestWindow(granted, SECOND))
        .as("creations in any one second at %s/s (seed %s)", rate, seed)
        .isLessThanOrEqualTo((int) Math.max(1, Math.floor(rate)));
    if (rate < 1) {
      assertThat(busiestWindow(granted, (long) (SECOND / rate)))
          .as("per 1/rate s (seed %s)", seed)
          .isLessThanOrEqualTo(1);
    }
  }

  /** Callers arriving at random times, each asking for a few: the limiter keeps up the rate. */
  @RepeatedTest(40)
  void reachesTheRateUnderSteadyDemand(RepetitionInfo repetition) {
    long seed = repetition.getCurrentRepetition();
    Random random = new Random(seed);
    double rate = rate(random);
    TestClock clock = new TestClock();
    JobCreationLimiter limiter = new JobCreationLimiter(clock, rate);
    long run = 100 * SECOND;
    // Arrivals 20 times as often as grants, exponentially spaced.
    double meanGapNanos = SECOND / (20 * sustained(rate));
    long total = 0;
    for (long t = 0; t < run; ) {
      total += limiter.tryAcquire(1 + random.nextInt(10));
      long gap = (long) Math.ceil(-Math.log(1 - random.nextDouble()) * meanGapNanos);
      clock.advance(gap);
      t += gap;
    }
    double seconds = run / (double) SECOND;
    assertThat(total)
        .as("at %s/s over %s s (seed %s)", rate, seconds, seed)
        .isGreaterThanOrEqualTo((long) (0.9 * sustained(rate) * seconds))
        .isLessThanOrEqualTo(
            (long) Math.ceil(sustained(rate) * seconds) + (long) Math.max(1, rate));
  }

  @Test
  void creationsGrantedAndNotUsedGoBackWithoutExceedingTheRate() {
    TestClock clock = new TestClock();
    JobCreationLimiter limiter = new JobCreationLimiter(clock, 10);
    assertThat(limiter.tryAcquire(8)).isEqualTo(8);
    limiter.release(5); // the plan launched 3 of the 8
    assertThat(limiter.tryAcquire(10)).isEqualTo(7);
    assertThat(limiter.tryAcquire(1)).isZero();
    limiter.release(100); // more than is held: nothing below zero
    assertThat(limiter.tryAcquire(20)).isEqualTo(10);
  }

  @Test
  void aFullWindowIsNotFollowedByAnotherWithinTheSameSecond() {
    TestClock clock = new TestClock();
    JobCreationLimiter limiter = new JobCreationLimiter(clock, 50);
    assertThat(limiter.tryAcquire(100)).isEqualTo(50);
    clock.advance(SECOND / 2);
    assertThat(limiter.tryAcquire(100)).as("a token bucket would have refilled 25").isZero();
    assertThat(limiter.untilNext()).isEqualTo(Duration.ofMillis(500));
    clock.advance(SECOND / 2 - 1);
    assertThat(limiter.tryAcquire(100)).isZero();
    clock.advance(1);
    assertThat(limiter.tryAcquire(100)).isEqualTo(50);
  }

  @Test
  void aCallerThatWaitsAsToldGetsExactlyTheRate() {
    for (double rate : new double[] {0.5, 1, 2.5, 50, 10_000}) {
      TestClock clock = new TestClock();
      JobCreationLimiter limiter = new JobCreationLimiter(clock, rate);
      long start = clock.nanos();
      long total = 0;
      while (clock.nanos() - start < 100 * SECOND) {
        total += limiter.tryAcquire(Integer.MAX_VALUE);
        clock.advance(limiter.untilNext().toNanos());
      }
      assertThat(total).as("in 100 s at %s/s", rate).isEqualTo((long) (sustained(rate) * 100));
    }
  }

  @Test
  void aRateBelowOnePerSecondGrantsOneEveryInterval() {
    TestClock clock = new TestClock();
    JobCreationLimiter limiter = new JobCreationLimiter(clock, 0.5);
    assertThat(limiter.tryAcquire(5)).isOne();
    assertThat(limiter.untilNext()).isEqualTo(Duration.ofSeconds(2));
    clock.advance(SECOND);
    assertThat(limiter.tryAcquire(5)).isZero();
    assertThat(limiter.untilNext()).isEqualTo(Duration.ofSeconds(1));
    clock.advance(SECOND);
    assertThat(limiter.untilNext()).isZero();
    assertThat(limiter.tryAcquire(5)).isOne();
  }

  @Test
  void aFractionalRateAboveOneIsRoundedDownPerSecond() {
    TestClock clock = new TestClock();
    JobCreationLimiter limiter = new JobCreationLimiter(clock, 2.5);
    assertThat(limiter.tryAcquire(5)).isEqualTo(2);
    assertThat(limiter.untilNext()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void aClockSteppingBackNeitherStallsNorFreesCreations() {
    TestClock clock = new TestClock();
    JobCreationLimiter limiter = new JobCreationLimiter(clock, 10);
    assertThat(limiter.tryAcquire(10)).isEqualTo(10);
    clock.advance(-3600 * SECOND);
    assertThat(limiter.tryAcquire(1)).as("just after the step").isZero();
    assertThat(limiter.untilNext()).isEqualTo(Duration.ofSeconds(1));
    clock.advance(SECOND);
    assertThat(limiter.tryAcquire(10)).as("one second of clock later").isEqualTo(10);
  }

  @Test
  void refusesNonPositiveRatesAndNegativeRequests() {
    Clock clock = new TestClock();
    for (double rate : new double[] {0, -1, -0.0, Double.NaN, Double.NEGATIVE_INFINITY}) {
      assertThatThrownBy(() -> new JobCreationLimiter(clock, rate))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("must be positive");
    }
    JobCreationLimiter limiter = new JobCreationLimiter(clock, 5);
    assertThatThrownBy(() -> limiter.tryAcquire(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThat(limiter.tryAcquire(0)).isZero();
    assertThat(limiter.tryAcquire(5)).isEqualTo(5);
  }
}
