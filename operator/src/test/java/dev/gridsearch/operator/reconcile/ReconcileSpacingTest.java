package dev.gridsearch.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ReconcileSpacingTest {
  private Instant now = Instant.parse("2026-11-29T12:00:00Z");
  private final Clock clock =
      new Clock() {
        @Override
        public ZoneId getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return now;
        }
      };

  @Test
  void aSearchIsLetThroughAtMostOncePerSpacing() {
    ReconcileSpacing spacing = new ReconcileSpacing(clock, Duration.ofMillis(200));
    ReconcileSpacing.Last search = spacing.initState();
    assertThat(spacing.isLimited(search)).as("the first reconcile").isEmpty();
    now = now.plusMillis(50);
    assertThat(spacing.isLimited(search)).contains(Duration.ofMillis(150));
    now = now.plusMillis(150);
    assertThat(spacing.isLimited(search)).as("once the spacing has passed").isEmpty();
    assertThat(spacing.isLimited(spacing.initState())).as("other searches are not held").isEmpty();
    now = now.plusMillis(199);
    assertThat(spacing.isLimited(search)).contains(Duration.ofMillis(1));
  }
}
