package dev.gridsearch.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;
import java.util.Map;

/** What the operator reports; bounded in size whatever the grid (no per-trial list). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GridSearchStatus(
    @JsonPropertyDescription(
            "The metadata.generation this status describes; older than metadata.generation while a change is not yet seen.")
        Long observedGeneration,
    @JsonPropertyDescription("Pending, Running, Succeeded, Failed or Suspended.") Phase phase,
    @JsonPropertyDescription("The number of points in the grid (the product of the axes' sizes).")
        Long gridSize,
    @JsonPropertyDescription(
            "The trials this search will run: gridSize capped by budget.maxTrials.")
        Long totalTrials,
    @JsonPropertyDescription("Trials launched so far.") Long launched,
    @JsonPropertyDescription("Finished trials over totalTrials, e.g. 40/100.") String progress,
    @JsonPropertyDescription("Trials by state.") TrialCounts trials,
    @JsonPropertyDescription("The best trial so far, by the objective; ties go to the lower index.")
        TrialSummary best,
    @JsonPropertyDescription("The best spec.leaderboardSize trials, best first.")
        List<TrialSummary> leaderboard,
    @JsonPropertyDescription("Where every finished trial's record is kept.") ResultsRef results,
    @JsonPropertyDescription("When the first trial was launched (RFC 3339).") String startTime,
    @JsonPropertyDescription("When the search reached Succeeded or Failed (RFC 3339).")
        String completionTime,
    @JsonPropertyDescription("What the budget has used.") BudgetStatus budget,
    @JsonPropertyDescription(
            "What one trial requests, the peak at parallelism, whether it fits the namespace's quotas.")
        Preflight preflight,
    @JsonPropertyDescription(
            "Ready, Complete, Failed, QuotaLimited and Suspended conditions (metav1.Condition), one per type.")
        List<Condition> conditions) {

  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this status, for statuses that differ in a few fields. */
  public Builder toBuilder() {
    return new Builder()
        .observedGeneration(observedGeneration)
        .phase(phase)
        .gridSize(gridSize)
        .totalTrials(totalTrials)
        .launched(launched)
        .progress(progress)
        .trials(trials)
        .best(best)
        .leaderboard(leaderboard)
        .results(results)
        .startTime(startTime)
        .completionTime(completionTime)
        .budget(budget)
        .preflight(preflight)
        .conditions(conditions);
  }

  /** Builds a status field by field: fifteen positional arguments are too easy to swap. */
  public static final class Builder {

    private Long observedGeneration;

    private Phase phase;

    private Long gridSize;

    private Long totalTrials;

    private Long launched;

    private String progress;

    private TrialCounts trials;

    private TrialSummary best;

    private List<TrialSummary> leaderboard;

    private ResultsRef results;

    private String startTime;

    private String completionTime;

    private BudgetStatus budget;

    private Preflight preflight;

    private List<Condition> conditions;

    private Builder() {}

    public Builder observedGeneration(Long value) {
      this.observedGeneration = value;
      return this;
    }

    public Builder phase(Phase value) {
      this.phase = value;
      return this;
    }

    public Builder gridSize(Long value) {
      this.gridSize = value;
      return this;
    }

    public Builder totalTrials(Long value) {
      this.totalTrials = value;
      return this;
    }

    public Builder launched(Long value) {
      this.launched = value;
      return this;
    }

    public Builder progress(String value) {
      this.progress = value;
      return this;
    }

    public Builder trials(TrialCounts value) {
      this.trials = value;
      return this;
    }

    public Builder best(TrialSummary value) {
      this.best = value;
      return this;
    }

    public Builder leaderboard(List<TrialSummary> value) {
      this.leaderboard = value;
      return this;
    }

    public Builder results(ResultsRef value) {
      this.results = value;
      return this;
    }

    public Builder startTime(String value) {
      this.startTime = value;
      return this;
    }

    public Builder completionTime(String value) {
      this.completionTime = value;
      return this;
    }

    public Builder budget(BudgetStatus value) {
      this.budget = value;
      return this;
    }

    public Builder preflight(Preflight value) {
      this.preflight = value;
      return this;
    }

    public Builder conditions(List<Condition> value) {
      this.conditions = value;
      return this;
    }

    public GridSearchStatus build() {
      return new GridSearchStatus(
          observedGeneration,
          phase,
          gridSize,
          totalTrials,
          launched,
          progress,
          trials,
          best,
          leaderboard,
          results,
          startTime,
          completionTime,
          budget,
          preflight,
          conditions);
    }
  }

  public enum Phase {
    Pending,
    Running,
    Succeeded,
    Failed,
    Suspended
  }

  public record TrialCounts(
      @JsonPropertyDescription("Job created, no pod running yet (or waiting for quota or Kueue).")
          long pending,
      @JsonPropertyDescription("A pod of the trial is running.") long running,
      @JsonPropertyDescription("Finished with its metrics read.") long succeeded,
      @JsonPropertyDescription("The trial's Job failed.") long failed,
      @JsonPropertyDescription(
              "The Job succeeded but its termination message lacked the objective metric.")
          long metricsMissing,
      @JsonPropertyDescription(
              "Stopped by the operator: goal reached, budget used up, search failed.")
          long stopped) {}

  /**
   * A trial as the status shows it: in best, job and metrics are set; in the leaderboard they are
   * left out.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record TrialSummary(
      @JsonPropertyDescription("The trial index.") long trial,
      @JsonPropertyDescription("The trial's Job name (in best only).") String job,
      @JsonPropertyDescription("The objective metric's value.") Double value,
      @JsonPropertyDescription("The trial's parameter values, as substituted.")
          Map<String, String> parameters,
      @JsonPropertyDescription("Every metric the trial reported (in best only).")
          Map<String, Double> metrics) {}

  public record ResultsRef(
      @JsonPropertyDescription("The results ConfigMaps, labelled gridsearch.dev/name.")
          List<String> configMaps,
      @JsonPropertyDescription("How many trial records they hold.") long records) {}

  /**
   * What the budget has used: elapsed wall time, and per resource "used/limit" in resource-hours.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record BudgetStatus(
      @JsonPropertyDescription("Wall time since the start.") String elapsed,
      @JsonPropertyDescription("The spec's budget.maxDuration.") String maxDuration,
      @JsonPropertyDescription("Per resource, used/limit in resource-hours.")
          Map<String, String> resourceHours) {}

  /**
   * The plan before and while it runs: what one trial requests, the peak at parallelism, whether
   * that peak fits the namespace's quotas, and (once trials have run) an estimate of the
   * resource-hours the rest will take.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Preflight(
      @JsonPropertyDescription("What one trial's pod requests, per resource.")
          Map<String, String> perTrial,
      @JsonPropertyDescription("perTrial times parallelism.") Map<String, String> peak,
      @JsonPropertyDescription("Whether the peak fits the namespace's ResourceQuotas.")
          Boolean peakFitsQuota,
      @JsonPropertyDescription("The quota that limits, when one does.") String quota,
      @JsonPropertyDescription(
              "Once trials have run: an estimate of the resource-hours the rest will take.")
          Map<String, String> remainingResourceHours) {}
}
