package dev.gridsearch.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gridsearch.operator.api.GridSearch;
import dev.gridsearch.operator.api.GridSearchStatus.Phase;
import dev.gridsearch.operator.reconcile.JobDeletion;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Someone else's Jobs and ConfigMaps under the names a search would use: the search ends Failed
 * with reason NameConflict, naming the object, with an Event, and nothing of the other owner's is
 * adopted, patched or deleted.
 */
class ForeignObjectsIT extends WithOperator {
  ForeignObjectsIT(ClusterNamespace ns) {
    super(ns);
  }

  private static String search(String name) {
    return """
        apiVersion: gridsearch.dev/v1alpha1
        kind: GridSearch
        metadata: {name: %s}
        spec:
          parameters: [{name: x, values: [1, 2, 3]}]
          objective: {metric: acc, goal: Maximize}
          parallelism: 3
          trialTemplate:
            spec:
              template:
                metadata:
                  annotations:
                    sim.gridsearch.dev/duration: 1s
                    sim.gridsearch.dev/message: '{"acc": 0.${params.x}}'
                spec:
                  containers: [{name: train, image: busybox:1.36}]
        """
        .formatted(name);
  }

  /** A plain Job of someone else's (no owner, no labels of ours) that runs for {@code duration}. */
  private Job foreignJob(String name, String duration) {
    return ns.client()
        .getKubernetesSerialization()
        .unmarshal(
            """
        apiVersion: batch/v1
        kind: Job
        metadata: {name: %s, labels: {team: etl}}
        spec:
          backoffLimit: 0
          template:
            metadata:
              annotations: {sim.gridsearch.dev/duration: %s}
            spec:
              restartPolicy: Never
              containers: [{name: etl, image: busybox:1.36}]
        """
                .formatted(name, duration),
            Job.class);
  }

  private Job job(String name) {
    return ns.client().batch().v1().jobs().inNamespace(ns.name()).withName(name).get();
  }

  @Test
  void foreignJobsNamedLikeTrialsAreNeitherAdoptedNorDeleted() {
    var jobs = ns.client().batch().v1().jobs().inNamespace(ns.name());
    Job complete = jobs.resource(foreignJob("etl-1", "1s")).create();
    await()
        .atMost(Duration.ofMinutes(1))
        .until(
            () ->
                job("etl-1").getStatus() != null
                    && job("etl-1").getStatus().getSucceeded() != null
                    && job("etl-1").getStatus().getSucceeded() == 1);
    Job running = jobs.resource(foreignJob("etl-2", "10m")).create();

    searches.apply(search("etl"));
    GridSearch done = searches.awaitFinished("etl", Duration.ofMinutes(2));

    assertThat(done.getStatus().phase()).isEqualTo(Phase.Failed);
    assertThat(searches.condition(done, "Failed"))
        .startsWith("True/NameConflict")
        .contains("etl-")
        .contains("is not this GridSearch's");
    // Both foreign Jobs are still there, as the same objects, and not being deleted; no record
    // names them.
    for (Job foreign : List.of(complete, running)) {
      Job now = job(foreign.getMetadata().getName());
      assertThat(now).as(foreign.getMetadata().getName()).isNotNull();
      assertThat(now.getMetadata().getUid()).isEqualTo(foreign.getMetadata().getUid());
      assertThat(now.getMetadata().getDeletionTimestamp()).isNull();
      assertThat(now.getMetadata().getOwnerReferences()).isNullOrEmpty();
    }
    assertThat(job("etl-2").getStatus().getActive()).isEqualTo(1);
    assertThat(searches.records("etl").keySet()).doesNotContain(1L, 2L);
    assertThat(events("etl"))
        .anySatisfy(
            e -> {
              assertThat(e.getReason()).isEqualTo("NameConflict");
              assertThat(e.getType()).isEqualTo("Warning");
            });
  }

  /**
   * The operator's Job deletion names the UID it saw: a Job deleted and created again under the
   * same name (someone else's now) between the operator's read and its delete stays.
   */
  @Test
  void aDeletionByTheUidSeenLeavesASameNamedReplacement() {
    var jobs = ns.client().batch().v1().jobs().inNamespace(ns.name());
    String seen = jobs.resource(foreignJob("reused-0", "10m")).create().getMetadata().getUid();
    jobs.withName("reused-0").withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> job("reused-0") == null);
    String replacement =
        jobs.resource(foreignJob("reused-0", "10m")).create().getMetadata().getUid();

    assertThat(JobDeletion.delete(ns.client(), ns.name(), "reused-0", seen))
        .isEqualTo(JobDeletion.Outcome.NOT_OURS);
    assertThat(job("reused-0").getMetadata().getUid()).isEqualTo(replacement);
    assertThat(job("reused-0").getMetadata().getDeletionTimestamp()).isNull();

    assertThat(JobDeletion.delete(ns.client(), ns.name(), "reused-0", replacement))
        .isEqualTo(JobDeletion.Outcome.DELETED);
    await().atMost(Duration.ofSeconds(30)).until(() -> job("reused-0") == null);
    assertThat(JobDeletion.delete(ns.client(), ns.name(), "reused-0", replacement))
        .isEqualTo(JobDeletion.Outcome.GONE);
  }

  @Test
  void aForeignJobNamedLikeTrialZeroFailsThePreflightWithAStatus() {
    Job foreign =
        ns.client()
            .batch()
            .v1()
            .jobs()
            .inNamespace(ns.name())
            .resource(foreignJob("dry-0", "10m"))
            .create();

    searches.apply(search("dry"));
    GridSearch done = searches.awaitFinished("dry", Duration.ofMinutes(1));

    assertThat(done.getStatus().phase()).isEqualTo(Phase.Failed);
    assertThat(searches.condition(done, "Failed"))
        .startsWith("True/NameConflict")
        .contains("Job " + ns.name() + "/dry-0");
    assertThat(done.getStatus().launched()).isZero();
    assertThat(job("dry-0").getMetadata().getUid()).isEqualTo(foreign.getMetadata().getUid());
    assertThat(job("dry-0").getMetadata().getDeletionTimestamp()).isNull();
  }

  @Test
  void aForeignConfigMapNamedLikeTheResultsIsNeverWritten() {
    ConfigMap foreign =
        ns.client()
            .configMaps()
            .inNamespace(ns.name())
            .resource(
                new ConfigMapBuilder()
                    .withNewMetadata()
                    .withName("cm-results-0")
                    .endMetadata()
                    .addToData("owner", "someone else")
                    .build())
            .create();

    searches.apply(search("cm"));
    GridSearch done = searches.awaitFinished("cm", Duration.ofMinutes(1));

    assertThat(done.getStatus().phase()).isEqualTo(Phase.Failed);
    assertThat(searches.condition(done, "Failed"))
        .startsWith("True/NameConflict")
        .contains("cm-results-0");
    assertThat(done.getStatus().launched()).isZero();
    ConfigMap now = ns.client().configMaps().inNamespace(ns.name()).withName("cm-results-0").get();
    assertThat(now.getMetadata().getResourceVersion())
        .isEqualTo(foreign.getMetadata().getResourceVersion());
    assertThat(now.getData()).containsExactlyEntriesOf(foreign.getData());
    assertThat(
            ns.client()
                .batch()
                .v1()
                .jobs()
                .inNamespace(ns.name())
                .withLabel(GridSearch.NAME_LABEL, "cm")
                .list()
                .getItems())
        .isEmpty();
  }

  private List<Event> events(String search) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                ns.client()
                    .v1()
                    .events()
                    .inNamespace(ns.name())
                    .withField("involvedObject.name", search)
                    .list()
                    .getItems(),
            list -> !list.isEmpty());
  }
}
