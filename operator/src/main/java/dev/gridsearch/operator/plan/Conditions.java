package dev.gridsearch.operator.plan;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds status conditions, keeping lastTransitionTime from the previous status when the status did
 * not flip.
 */
final class Conditions {
  private final List<Condition> previous;
  private final long generation;
  private final String now;
  private final List<Condition> out = new ArrayList<>();

  Conditions(List<Condition> previous, long generation, Instant now) {
    this.previous = previous == null ? List.of() : previous;
    this.generation = generation;
    this.now = now.toString();
  }

  Conditions add(String type, boolean status, String reason, String message) {
    String value = status ? "True" : "False";
    String since =
        previous.stream()
            .filter(c -> type.equals(c.getType()) && value.equals(c.getStatus()))
            .map(Condition::getLastTransitionTime)
            .filter(Objects::nonNull)
            .findFirst()
            .orElse(now);
    out.add(
        new ConditionBuilder()
            .withType(type)
            .withStatus(value)
            .withReason(reason)
            .withMessage(message)
            .withObservedGeneration(generation)
            .withLastTransitionTime(since)
            .build());
    return this;
  }

  List<Condition> build() {
    return List.copyOf(out);
  }
}
