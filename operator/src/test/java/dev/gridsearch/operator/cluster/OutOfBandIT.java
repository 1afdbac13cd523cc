package dev.gridsearch.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gridsearch.operator.api.GridSearch;
import dev.gridsearch.operator.api.GridSearchStatus.Phase;
import dev.gridsearch.operator.results.ResultRecord;
import dev.gridsearch.operator.trial.TrialState;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Duration;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Out-of-band changes. A user deletes a running trial's Job: the trial is recorded Failed with
 * reason JobDeleted, is not run again, and the search completes. A user deletes a results
 * ConfigMap: the operator keeps going, the search ends with what is known, and a condition says
 * records were lost. (Edits to immutable fields are refused at admission: see
 * AdmissionIT#immutableFieldsCannotChange.)
 */
@ExtendWith(ClusterExtension.class)
class OutOfBandIT {
  private final ClusterNamespace ns;

  OutOfBandIT(ClusterNamespace ns) {
    this.ns = ns;
  }

  // Trial 1 runs for a minute so it is surely running when deleted; the others finish in a second
  // or two.
  static final String SEARCH =
      """
      apiVersion: gridsearch.dev/v1alpha1
      kind: GridSearch
      metadata: {name: oob}
      spec:
        parameters:
          - {name: d, values: [1s, 60s, 2s, 1500ms, 2500ms, 1200ms]}
        objective: {metric: acc, goal: Maximize}
        parallelism: 3
        trialTemplate:
          spec:
            template:
              metadata:
                annotations:
                  sim.gridsearch.dev/duration: '${params.d}'
                  sim.gridsearch.dev/message: 'acc=0.${trial.index}1'
              spec:
                containers: [{name: train, image: busybox:1.36}]
      """;

  @Test
  void aDeletedRunningJobIsRecordedJobDeletedAndNotRerun() throws Exception {
    Searches searches = new Searches(ns);
    try (JobWatch watch = new JobWatch(ns);
        OperatorProcess operator = new OperatorProcess(ns).start()) {
      searches.apply(SEARCH);
      var job = ns.client().batch().v1().jobs().inNamespace(ns.name()).withName("oob-1");
      await()
          .atMost(Duration.ofMinutes(1))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> {
                Job j = job.get();
                return j != null
                    && j.getStatus() != null
                    && j.getStatus().getActive() != null
                    && j.getStatus().getActive() > 0;
              });
      job.withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();

      GridSearch done = searches.awaitFinished("oob", Duration.ofMinutes(2));
      assertThat(done.getStatus().phase()).isEqualTo(Phase.Succeeded);
      assertThat(done.getStatus().progress()).isEqualTo("6/6");
      assertThat(done.getStatus().trials().failed()).isEqualTo(1);
      assertThat(done.getStatus().trials().succeeded()).isEqualTo(5);

      Map<Long, ResultRecord> records = searches.records("oob");
      assertThat(records.keySet())
          .containsExactlyElementsOf(LongStream.range(0, 6).boxed().toList());
      ResultRecord deleted = records.get(1L);
      assertThat(deleted.state()).isEqualTo(TrialState.Failed);
      assertThat(deleted.reason()).isEqualTo("JobDeleted");
      assertThat(watch.creations())
          .as("each index created once, the deleted one included")
          .hasSize(6)
          .allSatisfy((name, count) -> assertThat(count).as(name).isEqualTo(1));
      assertThat(operator.isAlive()).isTrue();
      assertThat(operator.starts()).isEqualTo(1);
    }
  }

  @Test
  void aDeletedResultsConfigMapIsReportedAndTheSearchEndsWithWhatIsKnown() throws Exception {
    Searches searches = new Searches(ns);
    String search =
        """
        apiVersion: gridsearch.dev/v1alpha1
        kind: GridSearch
        metadata: {name: forgetful}
        spec:
          parameters: [{name: x, range: {min: 1, max: 30, step: 1}}]
          objective: {metric: acc, goal: Maximize}
          parallelism: 5
          trialTemplate:
            spec:
              template:
                metadata:
                  annotations: {sim.gridsearch.dev/duration: 1s, sim.gridsearch.dev/message: 'acc=${params.x}'}
                spec:
                  containers: [{name: train, image: busybox:1.36}]
        """;
    try (JobWatch watch = new JobWatch(ns);
        OperatorProcess operator = new OperatorProcess(ns).start()) {
      searches.apply(search);
      await()
          .atMost(Duration.ofMinutes(1))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> searches.records("forgetful").size() >= 8);
      ns.client().configMaps().inNamespace(ns.name()).withName("forgetful-results-0").delete();

      GridSearch done = searches.awaitFinished("forgetful", Duration.ofMinutes(2));
      assertThat(done.getStatus().phase()).isEqualTo(Phase.Succeeded);
      assertThat(searches.condition(done, "RecordsLost"))
          .startsWith("True/ResultsConfigMapDeleted")
          .contains("forgetful-results-0 was deleted");
      Map<Long, ResultRecord> records = searches.records("forgetful");
      assertThat(records.keySet())
          .as("every trial has a record again")
          .containsExactlyElementsOf(LongStream.range(0, 30).boxed().toList());
      assertThat(records.values())
          .filteredOn(r -> "RecordLost".equals(r.reason()))
          .isNotEmpty()
          .allSatisfy(r -> assertThat(r.state()).isEqualTo(TrialState.Stopped));
      assertThat(records.values()).noneMatch(r -> "JobDeleted".equals(r.reason()));
      assertThat(done.getStatus().best().value()).isEqualTo(30.0);
      Map<String, Integer> created = new java.util.TreeMap<>(watch.creations());
      created.keySet().removeIf(name -> !name.startsWith("forgetful-"));
      assertThat(created)
          .as("nothing was rerun")
          .hasSize(30)
          .allSatisfy((name, count) -> assertThat(count).as(name).isEqualTo(1));
      assertThat(operator.isAlive()).isTrue();
      assertThat(operator.starts()).isEqualTo(1);
    }
  }
}
