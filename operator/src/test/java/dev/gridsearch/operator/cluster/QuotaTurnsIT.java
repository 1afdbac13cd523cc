package dev.gridsearch.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gridsearch.operator.api.GridSearch;
import dev.gridsearch.operator.api.GridSearchStatus.Phase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * README, "Quota, budgets and Kueue": "Searches sharing a namespace take turns: while some wait for
 * room, the one that launched least recently goes first, so none starves." Issue 12 (Why 3): a
 * waiting search that is deleted or suspended must leave the queue, or every search that launched
 * more recently waits behind it for good.
 *
 * <p>A quota of two pods is held by searches {@code left} and {@code right} (one 30 s trial each,
 * then four short ones). Searches {@code gone} and {@code held} come while the quota is full, so
 * they wait for room; then {@code gone} is deleted and {@code held} suspended, both still without a
 * single Job. {@code left} and {@code right} must still finish, and {@code held} too once resumed.
 */
class QuotaTurnsIT extends WithOperator {
  QuotaTurnsIT(ClusterNamespace ns) {
    super(ns);
  }

  static String search(String name, String values, String duration) {
    return """
        apiVersion: gridsearch.dev/v1alpha1
        kind: GridSearch
        metadata: {name: %s}
        spec:
          parameters: [{name: t, values: [%s]}]
          objective: {metric: acc, goal: Maximize}
          parallelism: 1
          trialTemplate:
            spec:
              template:
                metadata:
                  annotations: {sim.gridsearch.dev/duration: '%s', sim.gridsearch.dev/message: 'acc=${params.t}'}
                spec:
                  containers: [{name: train, image: busybox:1.36}]
        """
        .formatted(name, values, duration);
  }

  @Test
  void aWaitingSearchThatIsDeletedOrSuspendedStallsNoOther() {
    ns.quota("two-pods", Map.of("pods", "2"));

    // Trial 0 of each runs 30 s: the window in which the other two come, wait, and are deleted or
    // suspended.
    searches.apply(search("left", "30, 2, 3, 4, 5", "${params.t}s"));
    searches.apply(search("right", "30, 2, 3, 4, 5", "${params.t}s"));
    await()
        .atMost(Duration.ofMinutes(1))
        .untilAsserted(
            () -> {
              assertThat(runningPods("left")).as("left's running pods").isEqualTo(1);
              assertThat(runningPods("right")).as("right's running pods").isEqualTo(1);
            });

    searches.apply(search("gone", "1, 2, 3", "2s"));
    searches.apply(search("held", "1, 2, 3", "2s"));
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              for (String name : List.of("gone", "held")) {
                GridSearch gs = searches.get(name);
                assertThat(gs.getStatus()).as(name + " status").isNotNull();
                assertThat(searches.condition(gs, "QuotaLimited"))
                    .as(name + " waits for room")
                    .startsWith("True/");
              }
            });
    ns.client().resources(GridSearch.class).inNamespace(ns.name()).withName("gone").delete();
    searches.setSuspend("held", true);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(searches.get("gone")).as("gone, deleted").isNull();
              assertThat(searches.get("held").getStatus().phase()).isEqualTo(Phase.Suspended);
            });
    // Both were deleted or suspended while waiting: neither ever got a Job.
    assertThat(searches.jobs("gone")).as("Jobs of gone").isEmpty();
    assertThat(searches.jobs("held")).as("Jobs of held").isEmpty();

    try {
      await()
          .atMost(Duration.ofMinutes(4))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> finished("left") && finished("right"));
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          "left and right did not both finish after a waiting search was deleted and another "
              + "suspended: "
              + describe("left")
              + "; "
              + describe("right"),
          e);
    }
    assertThat(searches.get("left").getStatus().progress()).isEqualTo("5/5");
    assertThat(searches.get("right").getStatus().progress()).isEqualTo("5/5");

    searches.setSuspend("held", false);
    GridSearch held = searches.awaitFinished("held", Duration.ofMinutes(3));
    assertThat(held.getStatus().phase()).isEqualTo(Phase.Succeeded);
    assertThat(held.getStatus().progress()).isEqualTo("3/3");
  }

  private long runningPods(String name) {
    return searches.pods(name).stream()
        .filter(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()))
        .count();
  }

  private boolean finished(String name) {
    GridSearch gs = searches.get(name);
    return gs.getStatus() != null
        && (gs.getStatus().phase() == Phase.Succeeded || gs.getStatus().phase() == Phase.Failed);
  }

  private String describe(String name) {
    GridSearch gs = searches.get(name);
    if (gs == null || gs.getStatus() == null) {
      return name + ": no status";
    }
    return name
        + " "
        + gs.getStatus().phase()
        + " "
        + gs.getStatus().progress()
        + " (launched "
        + gs.getStatus().launched()
        + "), QuotaLimited "
        + searches.condition(gs, "QuotaLimited")
        + ", Jobs "
        + searches.jobs(name).stream()
            .map(j -> j.getMetadata().getName())
            .collect(Collectors.toList());
  }
}
