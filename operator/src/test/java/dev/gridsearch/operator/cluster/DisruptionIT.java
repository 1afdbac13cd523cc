package dev.gridsearch.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gridsearch.operator.api.GridSearch;
import dev.gridsearch.operator.api.GridSearchStatus.Phase;
import dev.gridsearch.operator.results.ResultRecord;
import dev.gridsearch.operator.trial.SpecGrid;
import dev.gridsearch.operator.trial.TrialRenderer;
import dev.gridsearch.operator.trial.TrialState;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Disrupted trials on the real control plane: a trial pod evicted through the Eviction API (which
 * sets the pod condition DisruptionTarget, as preemption and taint-based deletion do) is replaced
 * by the Job controller without using trialRetries and without counting as a failed trial, because
 * of the podFailurePolicy rule TrialRenderer adds. The control shows that the same Job without that
 * rule fails on the same eviction.
 */
class DisruptionIT extends WithOperator {
  /**
   * Two trials that each run 20 s; a single counted failure would end the search Failed
   * (maxFailedTrials: 0).
   */
  static final String SEARCH =
      """
      apiVersion: gridsearch.dev/v1alpha1
      kind: GridSearch
      metadata: {name: %s}
      spec:
        parameters:
          - {name: x, values: [1, 2]}
        objective: {metric: acc, goal: Maximize}
        parallelism: 2
        trialRetries: 0
        maxFailedTrials: 0
        cleanup: {finishedJobs: Keep}
        trialTemplate:
          spec:
            template:
              metadata:
                annotations:
                  sim.gridsearch.dev/duration: 20s
                  sim.gridsearch.dev/message: 'acc=0.${params.x}'
              spec:
                containers: [{name: train, image: busybox:1.36}]
      """;

  DisruptionIT(ClusterNamespace ns) {
    super(ns);
  }

  @Test
  void anEvictedTrialIsReplacedWithoutUsingARetryOrCountingAsFailed() {
    try (Seen<Pod> pods = new Seen<>(w -> ns.client().pods().inNamespace(ns.name()).watch(w));
        Seen<Job> jobs =
            new Seen<>(w -> ns.client().batch().v1().jobs().inNamespace(ns.name()).watch(w))) {
      searches.apply(SEARCH.formatted("evict"));
      Evicted evicted = evictRunningPodOf("evict-0", pods);

      GridSearch done = searches.awaitFinished("evict", Duration.ofMinutes(3));
      assertThat(done.getStatus().phase())
          .as(searches.condition(done, "Failed"))
          .isEqualTo(Phase.Succeeded);
      assertThat(done.getStatus().trials().failed()).isZero();
      assertThat(done.getStatus().trials().metricsMissing()).isZero();
      assertThat(done.getStatus().trials().succeeded()).isEqualTo(2);
      Map<Long, ResultRecord> records = searches.records("evict");
      assertThat(records).hasSize(2);
      assertThat(records.values())
          .allSatisfy(r -> assertThat(r.state()).isEqualTo(TrialState.Succeeded));
      assertThat(records.get(0L).value()).isEqualTo(0.1);

      Job job = ns.client().batch().v1().jobs().inNamespace(ns.name()).withName("evict-0").get();
      assertThat(job.getSpec().getBackoffLimit()).isZero();
      assertThat(job.getSpec().getPodFailurePolicy().getRules())
          .first()
          .isEqualTo(TrialRenderer.ignoreDisruptionRule());
      assertThat(trueCondition(job, "Complete")).isPresent();
      assertThat(trueCondition(job, "Failed")).isEmpty();
      assertThat(job.getStatus().getSucceeded()).isEqualTo(1);
      assertThat(orZero(job.getStatus().getFailed()))
          .as("an ignored pod is not counted in status.failed")
          .isZero();

      assertDisruptedAndFailed(pods.versions(evicted.uid()));
      List<String> podsOfTrial0 = pods.uids(p -> "evict-0".equals(jobName(p)));
      assertThat(podsOfTrial0)
          .as("the evicted pod and its replacement")
          .hasSize(2)
          .startsWith(evicted.uid());
      assertThat(pods.uids(p -> "evict-1".equals(jobName(p))))
          .as("the undisturbed trial's pod")
          .hasSize(1);

      String replacement = podsOfTrial0.get(1);
      Instant failed =
          pods.firstSeen(evicted.uid(), p -> "Failed".equals(p.getStatus().getPhase()))
              .orElseThrow();
      Instant created = pods.firstSeen(replacement, p -> true).orElseThrow();
      Instant running =
          pods.firstSeen(replacement, p -> "Running".equals(p.getStatus().getPhase()))
              .orElseThrow();
      Instant complete =
          jobs.firstSeen(job.getMetadata().getUid(), j -> trueCondition(j, "Complete").isPresent())
              .orElseThrow();
      assertThat(created)
          .as("the replacement comes only once the evicted pod is Failed")
          .isAfterOrEqualTo(failed);
      report(
          "with the rule",
          evicted,
          Map.of(
              "evicted pod Failed",
              failed,
              "replacement created",
              created,
              "replacement Running",
              running,
              "Job Complete",
              complete),
          job.getStatus());
    }
  }

  @Test
  void withoutTheRuleTheSameEvictionFailsTheJob() {
    Job control = renderedTrialWithoutTheRule("control");
    try (Seen<Pod> pods = new Seen<>(w -> ns.client().pods().inNamespace(ns.name()).watch(w));
        Seen<Job> jobs =
            new Seen<>(w -> ns.client().batch().v1().jobs().inNamespace(ns.name()).watch(w))) {
      ns.client().batch().v1().jobs().inNamespace(ns.name()).resource(control).create();
      Evicted evicted = evictRunningPodOf("control", pods);

      Job job =
          await()
              .atMost(Duration.ofMinutes(1))
              .pollInterval(Duration.ofMillis(250))
              .until(
                  () ->
                      ns.client()
                          .batch()
                          .v1()
                          .jobs()
                          .inNamespace(ns.name())
                          .withName("control")
                          .get(),
                  j ->
                      trueCondition(j, "Complete").isPresent()
                          || trueCondition(j, "Failed").isPresent());
      assertThat(trueCondition(job, "Failed"))
          .get()
          .extracting(JobCondition::getReason)
          .isEqualTo("BackoffLimitExceeded");
      assertThat(job.getStatus().getFailed()).isEqualTo(1);
      assertThat(orZero(job.getStatus().getSucceeded())).isZero();
      assertDisruptedAndFailed(pods.versions(evicted.uid()));
      assertThat(pods.uids(p -> "control".equals(jobName(p))))
          .as("no replacement")
          .containsExactly(evicted.uid());
      Instant failedJob =
          jobs.firstSeen(job.getMetadata().getUid(), j -> trueCondition(j, "Failed").isPresent())
              .orElseThrow();
      report("without the rule", evicted, Map.of("Job Failed", failedJob), job.getStatus());
    }
  }

  @Test
  void aTemplatesOwnExitCodeRuleStillAppliesBehindOurs() {
    // Exit 42 means "these hyperparameters cannot work": the user's FailJob rule ends the trial
    // without its retries.
    searches.apply(
        """
        apiVersion: gridsearch.dev/v1alpha1
        kind: GridSearch
        metadata: {name: exit42}
        spec:
          parameters:
            - {name: x, values: [1]}
          objective: {metric: acc, goal: Maximize}
          trialRetries: 2
          cleanup: {finishedJobs: Keep}
          trialTemplate:
            spec:
              podFailurePolicy:
                rules:
                  - {action: FailJob, onExitCodes: {operator: In, values: [42]}}
              template:
                metadata:
                  annotations: {sim.gridsearch.dev/exit-code: "42"}
                spec:
                  containers: [{name: train, image: busybox:1.36}]
        """);
    searches.awaitFinished("exit42", Duration.ofMinutes(2));
    ResultRecord record = searches.records("exit42").get(0L);
    assertThat(record.state()).isEqualTo(TrialState.Failed);
    assertThat(record.reason()).isEqualTo("PodFailurePolicy");
    Job job = ns.client().batch().v1().jobs().inNamespace(ns.name()).withName("exit42-0").get();
    assertThat(job.getSpec().getPodFailurePolicy().getRules())
        .hasSize(2)
        .first()
        .isEqualTo(TrialRenderer.ignoreDisruptionRule());
    assertThat(job.getSpec().getPodFailurePolicy().getRules().get(1).getAction())
        .isEqualTo("FailJob");
    assertThat(job.getStatus().getFailed()).as("one pod, no retry").isEqualTo(1);
    assertThat(
            ns.client()
                .pods()
                .inNamespace(ns.name())
                .withLabel("job-name", "exit42-0")
                .list()
                .getItems())
        .hasSize(1);
  }

  /**
   * Trial 0 of the search exactly as the operator renders it, minus our podFailurePolicy, owner and
   * labels.
   */
  private Job renderedTrialWithoutTheRule(String name) {
    GridSearch parsed =
        ns.client()
            .getKubernetesSerialization()
            .unmarshal(SEARCH.formatted(name), GridSearch.class);
    // A server-side dry run gives the search as stored, with the CRD's defaults (restartPolicy:
    // Never), unsaved.
    GridSearch gs =
        ns.client()
            .resources(GridSearch.class)
            .inNamespace(ns.name())
            .resource(parsed)
            .dryRun()
            .create();
    Job job =
        new TrialRenderer(
                gs,
                SpecGrid.of(gs.getSpec().parameters()),
                ns.client().getKubernetesSerialization())
            .render(0);
    assertThat(job.getSpec().getPodFailurePolicy().getRules())
        .containsExactly(TrialRenderer.ignoreDisruptionRule());
    job.getSpec().setPodFailurePolicy(null);
    // Not a trial of any search: no owner (the GC would delete it) and none of our labels (the
    // operator ignores it).
    job.getMetadata().setName(name);
    job.getMetadata().setOwnerReferences(List.of());
    job.getMetadata().setLabels(Map.of("gridsearch.dev/test", "control"));
    job.getSpec().getTemplate().getMetadata().setLabels(Map.of("gridsearch.dev/test", "control"));
    return job;
  }

  private record Evicted(String pod, String uid, Instant at) {}

  /**
   * Waits for the Job's pod to run, then evicts it through the Eviction API (policy/v1), as
   * `kubectl drain` does.
   */
  private Evicted evictRunningPodOf(String job, Seen<Pod> pods) {
    Pod pod =
        await()
            .atMost(Duration.ofMinutes(1))
            .pollInterval(Duration.ofMillis(200))
            .until(
                () ->
                    ns
                        .client()
                        .pods()
                        .inNamespace(ns.name())
                        .withLabel("job-name", job)
                        .list()
                        .getItems()
                        .stream()
                        .filter(p -> "Running".equals(p.getStatus().getPhase()))
                        .findFirst(),
                Optional::isPresent)
            .orElseThrow();
    Instant at = Instant.now();
    boolean accepted =
        ns.client().pods().inNamespace(ns.name()).withName(pod.getMetadata().getName()).evict();
    assertThat(accepted).as("eviction of %s accepted", pod.getMetadata().getName()).isTrue();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                pods.versions(pod.getMetadata().getUid()).stream()
                    .anyMatch(p -> "Failed".equals(p.getStatus().getPhase())));
    return new Evicted(pod.getMetadata().getName(), pod.getMetadata().getUid(), at);
  }

  /**
   * The API server set DisruptionTarget, and the pod still carried it when it reached Failed (what
   * the rule reads).
   */
  private static void assertDisruptedAndFailed(List<Pod> versions) {
    assertThat(versions)
        .anySatisfy(
            p ->
                assertThat(disruption(p))
                    .get()
                    .extracting(PodCondition::getReason)
                    .isEqualTo("EvictionByEvictionAPI"));
    assertThat(versions)
        .filteredOn(p -> "Failed".equals(p.getStatus().getPhase()))
        .isNotEmpty()
        .allSatisfy(
            p -> assertThat(disruption(p)).as("DisruptionTarget on the Failed pod").isPresent())
        .allSatisfy(
            p ->
                assertThat(
                        p.getStatus()
                            .getContainerStatuses()
                            .get(0)
                            .getState()
                            .getTerminated()
                            .getExitCode())
                    .isEqualTo(143));
  }

  private static Optional<PodCondition> disruption(Pod pod) {
    return pod.getStatus().getConditions().stream()
        .filter(
            c ->
                TrialRenderer.DISRUPTION_TARGET.equals(c.getType()) && "True".equals(c.getStatus()))
        .findFirst();
  }

  private static Optional<JobCondition> trueCondition(Job job, String type) {
    return job == null || job.getStatus() == null
        ? Optional.empty()
        : job.getStatus().getConditions().stream()
            .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus()))
            .findFirst();
  }

  private static String jobName(Pod pod) {
    return pod.getMetadata().getLabels() == null
        ? null
        : pod.getMetadata().getLabels().get("job-name");
  }

  private static int orZero(Integer value) {
    return value == null ? 0 : value;
  }

  private static void report(
      String what, Evicted evicted, Map<String, Instant> events, JobStatus status) {
    StringBuilder line =
        new StringBuilder("[disruption] " + what + ": eviction of " + evicted.pod());
    events.entrySet().stream()
        .sorted(Map.Entry.comparingByValue())
        .forEach(
            e ->
                line.append(", ")
                    .append(e.getKey())
                    .append(" +")
                    .append(Duration.between(evicted.at(), e.getValue()).toMillis())
                    .append(" ms"));
    line.append("; Job status: active=")
        .append(status.getActive())
        .append(" succeeded=")
        .append(status.getSucceeded())
        .append(" failed=")
        .append(status.getFailed())
        .append(" terminating=")
        .append(status.getTerminating())
        .append(" conditions=")
        .append(
            status.getConditions().stream()
                .map(c -> c.getType() + "=" + c.getStatus() + "/" + c.getReason())
                .toList());
    System.out.println(line);
  }

  /**
   * Every version of every object a watch delivered, by uid in order of first sight, with when it
   * arrived.
   */
  private static final class Seen<T extends HasMetadata> implements AutoCloseable {
    private record Version<T>(Instant at, T object) {}

    private final Map<String, List<Version<T>>> byUid = new LinkedHashMap<>();
    private final Watch watch;

    Seen(Function<Watcher<T>, Watch> start) {
      this.watch =
          start.apply(
              new Watcher<>() {
                @Override
                public void eventReceived(Action action, T object) {
                  record(object);
                }

                @Override
                public void onClose(WatcherException cause) {}
              });
    }

    private synchronized void record(T object) {
      byUid
          .computeIfAbsent(object.getMetadata().getUid(), k -> new ArrayList<>())
          .add(new Version<>(Instant.now(), object));
    }

    synchronized List<T> versions(String uid) {
      return byUid.getOrDefault(uid, List.of()).stream().map(Version::object).toList();
    }

    synchronized List<String> uids(Predicate<T> filter) {
      return byUid.entrySet().stream()
          .filter(e -> filter.test(e.getValue().get(0).object()))
          .map(Map.Entry::getKey)
          .toList();
    }

    synchronized Optional<Instant> firstSeen(String uid, Predicate<T> filter) {
      return byUid.getOrDefault(uid, List.of()).stream()
          .filter(v -> filter.test(v.object()))
          .map(Version::at)
          .findFirst();
    }

    @Override
    public void close() {
      watch.close();
    }
  }
}
