package dev.gridsearch.cli.view;

import java.time.Duration;
import java.util.Optional;

/**
 * When the rest of a search should finish: the trials left, in waves of the parallelism, each as
 * long as the average trial so far. Running trials count as not started (an upper estimate).
 */
public final class Eta {
  private Eta() {}

  public static Optional<Duration> of(
      long total, long finished, int parallelism, double averageTrialSeconds) {
    long left = total - finished;
    if (left <= 0) {
      return Optional.of(Duration.ZERO);
    }
    if (averageTrialSeconds <= 0 || parallelism <= 0) {
      return Optional.empty();
    }
    long waves = (left + parallelism - 1) / parallelism;
    return Optional.of(Duration.ofMillis(Math.round(waves * averageTrialSeconds * 1000)));
  }

  /** [##########..........] */
  public static String bar(long done, long total, int width) {
    int filled = total <= 0 ? 0 : (int) Math.min(width, done * width / total);
    return "[" + "#".repeat(filled) + ".".repeat(width - filled) + "]";
  }
}
