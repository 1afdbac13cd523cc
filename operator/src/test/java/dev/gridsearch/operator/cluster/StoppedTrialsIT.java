package dev.gridsearch.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridsearch.operator.api.GridSearch;
import dev.gridsearch.operator.api.GridSearchStatus.Phase;
import dev.gridsearch.operator.results.ResultRecord;
import dev.gridsearch.operator.trial.TrialState;
import io.fabric8.kubernetes.api.model.ListOptions;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * README, "How a search runs": "a search that ends (Complete or Failed) says so only once the
 * trials it stopped are gone", where stopping a trial means deleting its Job ("running trials are
 * stopped, i.e. their Jobs deleted").
 *
 * <p>Trial 0 ends after 5 s and ends the search (goal reached, or one failure too many); trials 1-5
 * would run for ten minutes, so they are running when the search ends and are stopped. The first
 * version of the GridSearch whose status says Succeeded or Failed is taken from a watch, and the
 * search's Jobs are listed as they were at exactly that revision ({@code
 * resourceVersionMatch=Exact}): no stopped trial's Job may still be there, not even one marked for
 * deletion. Its pods are listed at the same revision and printed, since "gone" is promised for the
 * trials' Jobs.
 */
class StoppedTrialsIT extends WithOperator {
  StoppedTrialsIT(ClusterNamespace ns) {
    super(ns);
  }

  static String search(String name, String objective, String extraSpec, String extraAnnotation) {
    return """
        apiVersion: gridsearch.dev/v1alpha1
        kind: GridSearch
        metadata: {name: %s}
        spec:
          parameters:
            - {name: d, values: [5, 600, 601, 602, 603, 604]}
          objective: %s
          parallelism: 6
          %s
          trialTemplate:
            spec:
              template:
                metadata:
                  annotations:
                    sim.gridsearch.dev/duration: '${params.d}s'
                    sim.gridsearch.dev/message: 'acc=${params.d}'
                    %s
                spec:
                  containers: [{name: train, image: busybox:1.36}]
        """
        .formatted(name, objective, extraSpec, extraAnnotation);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "goal     | {metric: acc, goal: Maximize, target: 1} | leaderboardSize: 5 | sim.gridsearch.dev/exit-code: '0' "
            + "| Succeeded | Complete | GoalReached",
        "failures | {metric: acc, goal: Maximize}            | maxFailedTrials: 0 "
            + "| sim.gridsearch.dev/exit-code: '${params.d}' | Failed    | Failed   | TooManyFailedTrials"
      })
  void aSearchSaysItEndedOnlyOnceTheJobsOfTheTrialsItStoppedAreGone(
      String name,
      String objective,
      String extraSpec,
      String exitCode,
      Phase phase,
      String conditionType,
      String reason) {
    GridSearch done;
    SearchWatch.Version first;
    try (JobWatch jobs = new JobWatch(ns);
        SearchWatch watch = new SearchWatch(ns, name)) {
      searches.apply(search(name, objective, extraSpec, exitCode));
      done = searches.awaitFinished(name, Duration.ofMinutes(3));
      first =
          watch
              .firstFinished()
              .orElseThrow(
                  () ->
                      new AssertionError(
                          "the watch saw no version with a final phase, but the API server has "
                              + done.getStatus().phase()));
      watch.assertUnbroken();
      Map<String, Integer> created = new TreeMap<>(jobs.creations());
      created.keySet().removeIf(job -> !job.startsWith(name + "-"));
      assertThat(created)
          .as("Jobs created")
          .hasSize(6)
          .allSatisfy((job, count) -> assertThat(count).as(job).isEqualTo(1));
    }
    assertThat(first.phase()).isEqualTo(phase);
    assertThat(searches.condition(first.search(), conditionType)).startsWith("True/" + reason);

    // The trials the search stopped: the long ones, all running when trial 0 ended the search.
    List<ResultRecord> stopped =
        searches.records(name).values().stream()
            .filter(r -> r.state() == TrialState.Stopped)
            .toList();
    assertThat(stopped)
        .as("stopped trials")
        .extracting(ResultRecord::trial)
        .containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(stopped).allSatisfy(r -> assertThat(r.reason()).isEqualTo(reason));
    assertThat(first.search().getStatus().trials().stopped())
        .as("status.trials.stopped at the first final version")
        .isEqualTo(5);
    Set<String> stoppedJobs = stopped.stream().map(ResultRecord::job).collect(Collectors.toSet());

    ListOptions atThatRevision =
        new ListOptionsBuilder()
            .withResourceVersion(first.resourceVersion())
            .withResourceVersionMatch("Exact")
            .build();
    List<Job> jobsThen =
        ns.client()
            .batch()
            .v1()
            .jobs()
            .inNamespace(ns.name())
            .withLabel(GridSearch.NAME_LABEL, name)
            .list(atThatRevision)
            .getItems();
    List<Pod> podsThen =
        ns.client()
            .pods()
            .inNamespace(ns.name())
            .withLabel(GridSearch.NAME_LABEL, name)
            .list(atThatRevision)
            .getItems();
    System.out.printf(
        "[StoppedTrialsIT] %s: at resourceVersion %s (status first says %s): Jobs %s; pods %s%n",
        name,
        first.resourceVersion(),
        first.phase(),
        jobsThen.stream()
            .map(
                j ->
                    j.getMetadata().getName()
                        + (j.getMetadata().getDeletionTimestamp() == null
                            ? ""
                            : " (deletion requested)"))
            .toList(),
        podsThen.stream()
            .map(
                p ->
                    p.getMetadata().getName()
                        + " "
                        + (p.getStatus() == null ? null : p.getStatus().getPhase())
                        + (p.getMetadata().getDeletionTimestamp() == null
                            ? ""
                            : " (deletion requested)"))
            .toList());

    assertThat(jobsThen)
        .as(
            "Jobs of stopped trials still in the API server when the status first said %s "
                + "(resourceVersion %s)",
            first.phase(), first.resourceVersion())
        .filteredOn(j -> stoppedJobs.contains(j.getMetadata().getName()))
        .extracting(
            j ->
                j.getMetadata().getName()
                    + (j.getMetadata().getDeletionTimestamp() == null
                        ? ""
                        : " (deletion requested at "
                            + j.getMetadata().getDeletionTimestamp()
                            + ")"))
        .isEmpty();
  }
}
