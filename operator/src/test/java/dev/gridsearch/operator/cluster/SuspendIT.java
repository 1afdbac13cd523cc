package dev.gridsearch.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gridsearch.operator.api.GridSearch;
import dev.gridsearch.operator.api.GridSearchStatus.Phase;
import dev.gridsearch.operator.results.ResultRecord;
import dev.gridsearch.operator.trial.TrialState;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * README, "How a search runs": "{@code suspend: true} launches nothing new and suspends the running
 * trials' Jobs (their pods go away); {@code suspend: false} resumes them."
 */
class SuspendIT extends WithOperator {
  SuspendIT(ClusterNamespace ns) {
    super(ns);
  }

  static final String SEARCH =
      """
      apiVersion: gridsearch.dev/v1alpha1
      kind: GridSearch
      metadata: {name: pause}
      spec:
        parameters: [{name: x, range: {min: 1, max: 6, step: 1}}]
        objective: {metric: acc, goal: Maximize}
        parallelism: 3
        trialTemplate:
          spec:
            template:
              metadata:
                annotations: {sim.gridsearch.dev/duration: 20s, sim.gridsearch.dev/message: 'acc=${params.x}'}
              spec:
                containers: [{name: train, image: busybox:1.36}]
      """;

  @Test
  void suspendSuspendsTheRunningJobsAndResumingFinishesEveryTrial() {
    String name = "pause";
    try (JobWatch watch = new JobWatch(ns)) {
      searches.apply(SEARCH);
      // Trials last 20 s: all three are running when the search is suspended.
      await()
          .atMost(Duration.ofMinutes(2))
          .untilAsserted(
              () -> {
                assertThat(runningPods(name)).as("running trial pods").isEqualTo(3);
                GridSearch gs = searches.get(name);
                assertThat(gs.getStatus()).as("status").isNotNull();
                assertThat(gs.getStatus().launched()).as("status.launched").isEqualTo(3);
              });
      Set<String> launched = watch.creations().keySet();
      assertThat(launched).containsExactlyInAnyOrder("pause-0", "pause-1", "pause-2");

      searches.setSuspend(name, true);
      await()
          .atMost(Duration.ofMinutes(2))
          .untilAsserted(
              () -> {
                assertThat(searches.get(name).getStatus())
                    .extracting(s -> s.phase())
                    .isEqualTo(Phase.Suspended);
                assertThat(searches.jobs(name))
                    .as("the running trials' Jobs")
                    .hasSize(3)
                    .allSatisfy(
                        job -> {
                          assertThat(job.getSpec().getSuspend())
                              .as(job.getMetadata().getName() + " spec.suspend")
                              .isTrue();
                          assertThat(condition(job, "Suspended"))
                              .as(
                                  job.getMetadata().getName()
                                      + " condition Suspended (set by "
                                      + "the Job controller)")
                              .isEqualTo("True");
                        });
                assertThat(searches.pods(name)).as("pods of the suspended trials").isEmpty();
              });

      // Nothing launches while suspended: no new Job (counted from a watch), no pod comes back.
      await()
          .during(Duration.ofSeconds(10))
          .atMost(Duration.ofSeconds(40))
          .untilAsserted(
              () -> {
                assertThat(watch.creations().keySet())
                    .as("Jobs created since the suspension")
                    .isEqualTo(launched);
                assertThat(searches.pods(name)).as("pods while suspended").isEmpty();
                assertThat(searches.jobs(name))
                    .allSatisfy(job -> assertThat(job.getSpec().getSuspend()).isTrue());
              });
      assertThat(searches.get(name).getStatus().launched()).isEqualTo(3);

      searches.setSuspend(name, false);
      // The same Jobs are resumed (not replaced): their pods come back.
      await()
          .atMost(Duration.ofMinutes(2))
          .untilAsserted(
              () -> {
                Map<String, Job> jobs = new java.util.HashMap<>();
                searches.jobs(name).forEach(j -> jobs.put(j.getMetadata().getName(), j));
                assertThat(jobs).containsKeys("pause-0", "pause-1", "pause-2");
                for (String job : launched) {
                  assertThat(jobs.get(job).getSpec().getSuspend())
                      .as(job + " spec.suspend after resuming")
                      .isFalse();
                }
                assertThat(runningPods(name)).as("running pods of the resumed trials").isPositive();
              });

      GridSearch done = searches.awaitFinished(name, Duration.ofMinutes(4));
      assertThat(done.getStatus().phase()).isEqualTo(Phase.Succeeded);
      assertThat(done.getStatus().progress()).isEqualTo("6/6");
      assertThat(done.getStatus().trials().succeeded()).isEqualTo(6);
      Map<Long, ResultRecord> records = searches.records(name);
      assertThat(records).hasSize(6);
      assertThat(records.values())
          .allSatisfy(
              r -> assertThat(r.state()).as("trial " + r.trial()).isEqualTo(TrialState.Succeeded));
      assertThat(watch.creations())
          .as("every trial's Job created once")
          .hasSize(6)
          .allSatisfy((job, count) -> assertThat(count).as(job).isEqualTo(1));
    }
  }

  private long runningPods(String name) {
    return searches.pods(name).stream()
        .filter(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()))
        .count();
  }

  private static String condition(Job job, String type) {
    return job.getStatus() == null || job.getStatus().getConditions() == null
        ? "none"
        : job.getStatus().getConditions().stream()
            .filter(c -> type.equals(c.getType()))
            .map(c -> c.getStatus())
            .findFirst()
            .orElse("none");
  }
}
