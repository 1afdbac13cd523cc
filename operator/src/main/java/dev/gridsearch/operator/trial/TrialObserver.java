package dev.gridsearch.operator.trial;

import dev.gridsearch.operator.api.GridSearch;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a trial Job and its pods into a {@link TrialObservation}: its state and, once final, its
 * outcome.
 */
public final class TrialObserver {
  /**
   * How long a Complete Job may wait for its succeeded pod to reach the cache before metrics count
   * as missing.
   */
  static final Duration POD_GRACE = Duration.ofSeconds(30);

  private final String objectiveMetric;
  private final String primaryContainer;

  public TrialObserver(String objectiveMetric, String primaryContainer) {
    this.objectiveMetric = objectiveMetric;
    this.primaryContainer = primaryContainer;
  }

  /** The trial index of a Job of ours, from its label; empty for anything else. */
  public static Optional<Long> index(Job job) {
    Map<String, String> labels = job.getMetadata().getLabels();
    String value = labels == null ? null : labels.get(GridSearch.TRIAL_INDEX_LABEL);
    try {
      return value == null ? Optional.empty() : Optional.of(Long.parseLong(value));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  public TrialObservation observe(long index, Job job, List<Pod> pods, Instant now) {
    String name = job.getMetadata().getName();
    boolean suspended = Boolean.TRUE.equals(job.getSpec().getSuspend());
    boolean terminating = job.getMetadata().getDeletionTimestamp() != null;
    Instant start =
        parse(job.getStatus() == null ? null : job.getStatus().getStartTime())
            .or(() -> parse(job.getMetadata().getCreationTimestamp()))
            .orElse(null);
    Optional<JobCondition> complete = condition(job, "Complete");
    Optional<JobCondition> failed = condition(job, "Failed");
    if (complete.isPresent()) {
      Instant finish =
          parse(job.getStatus().getCompletionTime())
              .or(() -> parse(complete.get().getLastTransitionTime()))
              .orElse(now);
      Optional<ContainerStatus> status =
          pods.stream()
              .filter(p -> "Succeeded".equals(phase(p)))
              .map(this::primaryStatus)
              .flatMap(Optional::stream)
              .findFirst();
      if (status.isEmpty()) {
        if (Duration.between(finish, now).compareTo(POD_GRACE) < 0) {
          return live(index, name, TrialState.Running, suspended, terminating, start);
        }
        return outcome(
            index,
            name,
            TrialState.MetricsMissing,
            start,
            finish,
            "PodNotFound",
            "the Job completed but no succeeded pod was found to read metrics from",
            null,
            null);
      }
      String message = terminatedMessage(status.get());
      MetricResult result = MetricParser.parse(message, objectiveMetric);
      if (result instanceof MetricResult.Parsed p) {
        return outcome(
            index,
            name,
            TrialState.Succeeded,
            start,
            finish,
            null,
            null,
            p.metrics(),
            p.objective());
      }
      MetricResult.Refused r = (MetricResult.Refused) result;
      return outcome(
          index,
          name,
          TrialState.MetricsMissing,
          start,
          finish,
          r.kind().name(),
          r.message(),
          null,
          null);
    }
    if (failed.isPresent()) {
      Instant finish = parse(failed.get().getLastTransitionTime()).orElse(now);
      String podMessage =
          pods.stream()
              .sorted(Comparator.comparing(TrialObserver::created).reversed())
              .map(this::primaryStatus)
              .flatMap(Optional::stream)
              .map(TrialObserver::terminatedMessage)
              .filter(m -> !m.isBlank())
              .findFirst()
              .orElse(null);
      String message = podMessage != null ? podMessage : failed.get().getMessage();
      return outcome(
          index,
          name,
          TrialState.Failed,
          start,
          finish,
          failed.get().getReason(),
          message,
          null,
          null);
    }
    boolean running = !suspended && pods.stream().anyMatch(p -> "Running".equals(phase(p)));
    return live(
        index,
        name,
        running ? TrialState.Running : TrialState.Pending,
        suspended,
        terminating,
        start);
  }

  private static TrialObservation live(
      long index,
      String job,
      TrialState state,
      boolean suspended,
      boolean terminating,
      Instant start) {
    return new TrialObservation(
        index, job, state, suspended, terminating, start, null, null, null, null, null);
  }

  private static TrialObservation outcome(
      long index,
      String job,
      TrialState state,
      Instant start,
      Instant finish,
      String reason,
      String message,
      Map<String, Double> metrics,
      Double value) {
    return new TrialObservation(
        index, job, state, false, false, start, finish, reason, message, metrics, value);
  }

  private Optional<ContainerStatus> primaryStatus(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
      return Optional.empty();
    }
    List<ContainerStatus> statuses = pod.getStatus().getContainerStatuses();
    String primary =
        primaryContainer != null
            ? primaryContainer
            : pod.getSpec().getContainers().isEmpty()
                ? null
                : pod.getSpec().getContainers().get(0).getName();
    return statuses.stream()
        .filter(s -> s.getName().equals(primary))
        .findFirst()
        .filter(s -> s.getState() != null && s.getState().getTerminated() != null);
  }

  private static String terminatedMessage(ContainerStatus status) {
    String message = status.getState().getTerminated().getMessage();
    return message == null ? "" : message;
  }

  /**
   * Whether the Job controller has finished the Job (Complete or Failed), whatever its pods show.
   */
  public static boolean finished(Job job) {
    return condition(job, "Complete").isPresent() || condition(job, "Failed").isPresent();
  }

  private static Optional<JobCondition> condition(Job job, String type) {
    if (job.getStatus() == null || job.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return job.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus()))
        .findFirst();
  }

  private static String phase(Pod pod) {
    return pod.getStatus() == null ? null : pod.getStatus().getPhase();
  }

  private static String created(Pod pod) {
    String ts = pod.getMetadata().getCreationTimestamp();
    return ts == null ? "" : ts;
  }

  private static Optional<Instant> parse(String timestamp) {
    try {
      return timestamp == null ? Optional.empty() : Optional.of(Instant.parse(timestamp));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
