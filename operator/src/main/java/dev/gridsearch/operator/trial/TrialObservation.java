package dev.gridsearch.operator.trial;

import java.time.Instant;
import java.util.Map;

/**
 * What the operator sees of one live trial Job. For a final state, {@code reason}, {@code message},
 * {@code metrics} and {@code value} carry the outcome; {@code value} is set only for Succeeded.
 */
public record TrialObservation(
    long index,
    String job,
    TrialState state,
    boolean suspended,
    boolean terminating,
    Instant startTime,
    Instant finishTime,
    String reason,
    String message,
    Map<String, Double> metrics,
    Double value) {

  public boolean isFinal() {
    return state.isFinal();
  }
}
