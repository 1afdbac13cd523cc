package dev.gridsearch.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gridsearch.operator.api.GridSearch;
import dev.gridsearch.operator.api.GridSearchStatus.Phase;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * README, "How a search runs": "Events are recorded on the GridSearch for phase changes only, never
 * per trial." The phase changes are taken from a watch on the GridSearch (every stored version);
 * the Events from the API server.
 */
class EventsIT extends WithOperator {
  EventsIT(ClusterNamespace ns) {
    super(ns);
  }

  static final String OPERATOR = "gridsearch-operator";

  static String search(String name, int trials, int parallelism, String annotations) {
    return """
        apiVersion: gridsearch.dev/v1alpha1
        kind: GridSearch
        metadata: {name: %s}
        spec:
          parameters: [{name: x, range: {min: 1, max: %d, step: 1}}]
          objective: {metric: acc, goal: Maximize}
          parallelism: %d
          maxFailedTrials: 0
          trialTemplate:
            spec:
              template:
                metadata:
                  annotations: {sim.gridsearch.dev/duration: 1s, sim.gridsearch.dev/message: 'acc=${params.x}'%s}
                spec:
                  containers: [{name: train, image: busybox:1.36}]
        """
        .formatted(name, trials, parallelism, annotations);
  }

  @Test
  void aSearchGoingPendingRunningSucceededHasOneNormalEventPerPhaseChangeAndNonePerTrial() {
    String name = "evented";
    // A quota of one pod, held by a pod that is no trial: the search waits (Pending) until that pod
    // goes; then its
    // six trials run one at a time, so trials start and finish and QuotaLimited comes and goes
    // within one phase.
    ns.client()
        .resourceQuotas()
        .inNamespace(ns.name())
        .resource(
            new ResourceQuotaBuilder()
                .withNewMetadata()
                .withName("one-pod")
                .endMetadata()
                .withNewSpec()
                .withHard(Map.of("pods", new Quantity("1")))
                .endSpec()
                .build())
        .create();
    await().atMost(Duration.ofSeconds(30)).until(() -> quotaUsedPods("one-pod") != null);
    ns.client()
        .pods()
        .inNamespace(ns.name())
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName("blocker")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("c")
                .withImage("busybox:1.36")
                .endContainer()
                .endSpec()
                .build())
        .create();
    await().atMost(Duration.ofSeconds(30)).until(() -> "1".equals(quotaUsedPods("one-pod")));
    GridSearch done;
    List<Phase> phases;
    try (SearchWatch watch = new SearchWatch(ns, name)) {
      searches.apply(search(name, 6, 2, ""));
      await()
          .atMost(Duration.ofMinutes(1))
          .until(
              () -> {
                GridSearch gs = searches.get(name);
                return gs.getStatus() != null
                    && gs.getStatus().phase() == Phase.Pending
                    && searches.condition(gs, "QuotaLimited").startsWith("True/");
              });
      ns.client().pods().inNamespace(ns.name()).withName("blocker").delete();
      done = searches.awaitFinished(name, Duration.ofMinutes(3));
      watch.assertUnbroken();
      phases = watch.phases();
    } finally {
      ns.client().resourceQuotas().inNamespace(ns.name()).withName("one-pod").delete();
    }
    assertThat(done.getStatus().phase()).isEqualTo(Phase.Succeeded);
    assertThat(done.getStatus().trials().succeeded()).isEqualTo(6);
    assertThat(phases)
        .as("phases the stored status went through")
        .containsExactly(Phase.Pending, Phase.Running, Phase.Succeeded);

    List<Event> events = eventsOf(done, 3);
    assertThat(events)
        .extracting(Event::getMessage)
        .as("Events on the GridSearch, oldest first")
        .satisfiesExactly(
            m -> assertThat(m).startsWith("phase - -> Pending: "),
            m -> assertThat(m).startsWith("phase Pending -> Running: "),
            m -> assertThat(m).startsWith("phase Running -> Succeeded: "));
    assertThat(events).extracting(Event::getType).containsOnly("Normal");
    assertThat(events).extracting(Event::getReason).doesNotContainNull().noneMatch(String::isBlank);
    assertThat(events.get(2).getReason())
        .as("the ending Event's reason: the Complete condition's")
        .isEqualTo("GridExhausted");
    assertOnlyGridSearchEvents(done);
  }

  @Test
  void aFailedSearchEndsWithAWarningEvent() {
    String name = "failing";
    GridSearch done;
    List<Phase> phases;
    try (SearchWatch watch = new SearchWatch(ns, name)) {
      searches.apply(search(name, 4, 1, ", sim.gridsearch.dev/exit-code: '1'"));
      done = searches.awaitFinished(name, Duration.ofMinutes(2));
      watch.assertUnbroken();
      phases = watch.phases();
    }
    assertThat(done.getStatus().phase()).isEqualTo(Phase.Failed);
    assertThat(searches.condition(done, "Failed")).startsWith("True/TooManyFailedTrials");
    assertThat(phases)
        .as("phases the stored status went through")
        .containsExactly(Phase.Running, Phase.Failed);

    List<Event> events = eventsOf(done, 2);
    assertThat(events)
        .extracting(Event::getMessage)
        .satisfiesExactly(
            m -> assertThat(m).startsWith("phase - -> Running: "),
            m -> assertThat(m).startsWith("phase Running -> Failed: "));
    assertThat(events).extracting(Event::getType).containsExactly("Normal", "Warning");
    assertThat(events.get(1).getReason()).isEqualTo("TooManyFailedTrials");
    assertOnlyGridSearchEvents(done);
  }

  /**
   * The Events on this GridSearch, oldest first, once exactly {@code expected} are there and stay
   * so.
   */
  private List<Event> eventsOf(GridSearch gs, int expected) {
    // Held for a few seconds, so an Event that comes late (e.g. one per trial) is caught too.
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(45))
        .untilAsserted(
            () -> {
              List<Event> mine = eventsOn(gs);
              assertThat(mine)
                  .as(
                      "Events on GridSearch %s: %s",
                      gs.getMetadata().getName(),
                      mine.stream()
                          .map(e -> e.getType() + "/" + e.getReason() + ": " + e.getMessage())
                          .toList())
                  .hasSize(expected);
            });
    List<Event> mine = eventsOn(gs);
    mine.forEach(
        e ->
            System.out.printf(
                "[EventsIT] %s: %s/%s: %s%n",
                gs.getMetadata().getName(), e.getType(), e.getReason(), e.getMessage()));
    return mine;
  }

  /** The Events whose involvedObject is this GridSearch (by uid), oldest first. */
  private List<Event> eventsOn(GridSearch gs) {
    String uid = gs.getMetadata().getUid();
    List<Event> mine =
        new ArrayList<>(
            events().stream().filter(e -> uid.equals(e.getInvolvedObject().getUid())).toList());
    mine.sort(Comparator.comparingLong(e -> Long.parseLong(e.getMetadata().getResourceVersion())));
    return mine;
  }

  /** No Event of the operator is about a trial (Job or pod): all are about GridSearches. */
  private void assertOnlyGridSearchEvents(GridSearch gs) {
    assertThat(events())
        .filteredOn(
            e ->
                OPERATOR.equals(e.getSource() == null ? null : e.getSource().getComponent())
                    || OPERATOR.equals(e.getReportingComponent()))
        .as("the operator's Events")
        .allSatisfy(
            e ->
                assertThat(e.getInvolvedObject().getKind())
                    .as(e.getReason() + ": " + e.getMessage())
                    .isEqualTo(gs.getKind()));
  }

  private List<Event> events() {
    return ns.client().v1().events().inNamespace(ns.name()).list().getItems();
  }

  private String quotaUsedPods(String quota) {
    var q = ns.client().resourceQuotas().inNamespace(ns.name()).withName(quota).get();
    return q == null || q.getStatus() == null || q.getStatus().getUsed() == null
        ? null
        : q.getStatus().getUsed().get("pods") == null
            ? null
            : q.getStatus().getUsed().get("pods").getAmount();
  }
}
