package dev.gridsearch.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gridsearch.operator.api.GridSearch;
import dev.gridsearch.operator.api.GridSearchStatus.Phase;
import io.fabric8.kubernetes.api.model.Event;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A persistent API error reaches the user: the results ConfigMap cannot be created (a ResourceQuota
 * on ConfigMaps is full, so the API server answers 403), and the status and a Warning Event say so
 * until the room is there.
 */
class ApiErrorsIT extends WithOperator {
  ApiErrorsIT(ClusterNamespace ns) {
    super(ns);
  }

  @Test
  void aRefusedResultsWriteShowsInTheStatusAndAnEventAndHealsOnceAllowed() {
    // The namespace already holds kube-root-ca.crt: a hard limit of 1 leaves no room for a results
    // ConfigMap.
    ns.quota("no-configmaps", Map.of("count/configmaps", "1"));
    searches.apply(
        """
        apiVersion: gridsearch.dev/v1alpha1
        kind: GridSearch
        metadata: {name: refused}
        spec:
          parameters: [{name: x, values: [1, 2]}]
          objective: {metric: acc, goal: Maximize}
          parallelism: 2
          trialTemplate:
            spec:
              template:
                metadata:
                  annotations:
                    sim.gridsearch.dev/duration: 1s
                    sim.gridsearch.dev/message: '{"acc": 0.${params.x}}'
                spec:
                  containers: [{name: train, image: busybox:1.36}]
        """);

    GridSearch refused =
        await()
            .atMost(Duration.ofMinutes(2))
            .until(
                () -> searches.get("refused"),
                gs ->
                    gs.getStatus() != null
                        && searches.condition(gs, "Ready").startsWith("False/Forbidden"));
    assertThat(searches.condition(refused, "Ready"))
        .contains("exceeded quota")
        .contains("no-configmaps");
    List<Event> events =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    ns.client()
                        .v1()
                        .events()
                        .inNamespace(ns.name())
                        .withField("involvedObject.name", "refused")
                        .list()
                        .getItems(),
                list -> list.stream().anyMatch(e -> "Forbidden".equals(e.getReason())));
    assertThat(events)
        .filteredOn(e -> "Forbidden".equals(e.getReason()))
        .allSatisfy(e -> assertThat(e.getType()).isEqualTo("Warning"))
        .as("one Event per distinct message, not one per retry")
        .hasSizeLessThanOrEqualTo(2);
    // The outcomes wait in the Jobs: none is lost while the writes are refused.
    assertThat(
            ns.client()
                .batch()
                .v1()
                .jobs()
                .inNamespace(ns.name())
                .withLabel(GridSearch.NAME_LABEL, "refused")
                .list()
                .getItems())
        .hasSize(2);

    ns.client().resourceQuotas().inNamespace(ns.name()).withName("no-configmaps").delete();
    GridSearch done = searches.awaitFinished("refused", Duration.ofMinutes(3));
    assertThat(done.getStatus().phase()).isEqualTo(Phase.Succeeded);
    assertThat(searches.records("refused")).hasSize(2);
    assertThat(done.getStatus().best().value()).isEqualTo(0.2);
  }
}
