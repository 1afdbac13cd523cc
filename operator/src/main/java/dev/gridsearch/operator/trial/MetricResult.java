package dev.gridsearch.operator.trial;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** What a trial's termination message yielded: its metrics, or why it was refused. */
public sealed interface MetricResult permits MetricResult.Parsed, MetricResult.Refused {

  /** All reported metrics in message order, and the objective's value among them. */
  record Parsed(Map<String, Double> metrics, double objective) implements MetricResult {
    public Parsed {
      metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }
  }

  /** A message that cannot be scored, with a reason fit for the Trial's status. */
  record Refused(Kind kind, String message) implements MetricResult {
    public Refused {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(message, "message");
    }

    public enum Kind {
      EMPTY,
      TOO_LARGE,
      MALFORMED,
      NOT_A_NUMBER,
      NON_FINITE,
      DUPLICATE_KEY,
      INVALID_NAME,
      MISSING_OBJECTIVE
    }
  }
}
