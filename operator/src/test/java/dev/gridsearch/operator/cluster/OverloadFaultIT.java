package dev.gridsearch.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridsearch.operator.api.GridSearch;
import dev.gridsearch.operator.api.GridSearchStatus.Phase;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Overload (make test-faults, not make test: about 15 minutes): 20 searches of 500 trials at
 * parallelism 50 against a quota admitting 20 pods. Job creations stay under the configured rate,
 * quota admission refuses nothing of ours, and every search completes. Sizes: -Doverload.searches,
 * -Doverload.trials.
 */
class OverloadFaultIT extends WithOperator {
  private static final int SEARCHES = Integer.getInteger("overload.searches", 20);
  private static final int TRIALS = Integer.getInteger("overload.trials", 500);
  private static final int RATE = 50;

  OverloadFaultIT(ClusterNamespace ns) {
    super(ns);
  }

  @Test
  void manySearchesAgainstASmallQuotaAllCompleteWithoutFailedCreate() {
    ns.client()
        .resourceQuotas()
        .inNamespace(ns.name())
        .resource(
            new ResourceQuotaBuilder()
                .withNewMetadata()
                .withName("twenty")
                .endMetadata()
                .withNewSpec()
                .withHard(Map.of("pods", new Quantity("20")))
                .endSpec()
                .build())
        .create();
    Instant start = Instant.now();
    int busiest;
    try (JobWatch watch = new JobWatch(ns)) {
      for (int s = 0; s < SEARCHES; s++) {
        searches.apply(
            """
            apiVersion: gridsearch.dev/v1alpha1
            kind: GridSearch
            metadata: {name: load-%d}
            spec:
              parameters: [{name: x, range: {min: 1, max: %d, step: 1}}]
              objective: {metric: acc, goal: Maximize}
              parallelism: 50
              trialTemplate:
                spec:
                  template:
                    metadata:
                      annotations: {sim.gridsearch.dev/duration: 200ms, sim.gridsearch.dev/message: 'acc=${params.x}'}
                    spec:
                      containers: [{name: train, image: busybox:1.36}]
            """
                .formatted(s, TRIALS));
      }
      List<GridSearch> done =
          IntStream.range(0, SEARCHES)
              .mapToObj(s -> searches.awaitFinished("load-" + s, Duration.ofMinutes(40)))
              .toList();
      assertThat(done)
          .allSatisfy(
              gs -> {
                assertThat(gs.getStatus().phase()).isEqualTo(Phase.Succeeded);
                assertThat(gs.getStatus().progress()).isEqualTo(TRIALS + "/" + TRIALS);
              });
      assertThat(watch.creations())
          .hasSize(SEARCHES * TRIALS)
          .allSatisfy((name, count) -> assertThat(count).as(name).isEqualTo(1));
      busiest = watch.busiestSecond();
    }
    long failedCreates =
        ns.client().v1().events().inNamespace(ns.name()).list().getItems().stream()
            .filter(e -> "FailedCreate".equals(e.getReason()))
            .count();
    System.out.printf(
        "[OverloadFaultIT] %d searches x %d trials in %s; busiest second: %d Job creations"
            + " (limit %d/s); FailedCreate events: %d%n",
        SEARCHES, TRIALS, Duration.between(start, Instant.now()), busiest, RATE, failedCreates);
    // Creation timestamps have one-second precision: no second may hold more than the rate (the
    // bucket's burst).
    assertThat(busiest).isLessThanOrEqualTo(RATE);
    assertThat(failedCreates).as("FailedCreate events (a storm would be hundreds)").isZero();
  }
}
