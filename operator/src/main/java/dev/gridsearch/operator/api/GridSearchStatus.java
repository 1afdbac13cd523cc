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
            "The trials this search will run: repeats x folds per point, for gridSize points capped by budget.maxTrials (whole points only).")
        Long totalTrials,
    @JsonPropertyDescription("Trials launched so far.") Long launched,
    @JsonPropertyDescription("Finished trials over totalTrials, e.g. 40/100.") String progress,
    @JsonPropertyDescription("Trials by state.") TrialCounts trials,
    @JsonPropertyDescription(
            "Points (grid points to run), and those whose trials have all finished, by outcome.")
        PointCounts points,
    @JsonPropertyDescription(
            "The best ranked point so far, by the objective's aggregate; ties go to the lower index.")
        PointSummary best,
    @JsonPropertyDescription("The best spec.leaderboardSize ranked points, best first.")
        List<PointSummary> leaderboard,
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
        .points(points)
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

    private PointCounts points;

    private PointSummary best;

    private List<PointSummary> leaderboard;

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

    public Builder points(PointCounts value) {
      this.points = value;
      return this;
    }

    public Builder best(PointSummary value) {
      this.best = value;
      return this;
    }

    public Builder leaderboard(List<PointSummary> value) {
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
          points,
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

  public record PointCounts(
      @JsonPropertyDescription("Points the search will run: totalTrials / (repeats x folds).")
          long total,
      @JsonPropertyDescription("Points whose trials have all finished.") long finished,
      @JsonPropertyDescription(
              "Finished points that are ranked (every trial counted succeeded, constraints met).")
          long ranked,
      @JsonPropertyDescription("Points not ranked because a trial failed, or none succeeded.")
          long failed,
      @JsonPropertyDescription("Points not ranked because they violate objective.constraints.")
          long infeasible,
      @JsonPropertyDescription("Points left incomplete: a trial was stopped or never ran.")
          long stopped) {}

  /**
   * A point as the status shows it. With one trial per point, trial (and in best the Job) name it;
   * with repeats or folds, std and n tell the spread. In best, metrics hold every metric's
   * aggregate.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record PointSummary(
      @JsonPropertyDescription("The point index in the grid.") long point,
      @JsonPropertyDescription("Its trial index, when a point is one trial.") Long trial,
      @JsonPropertyDescription("Its trial's Job name, when a point is one trial (in best only).")
          String job,
      @JsonPropertyDescription(
              "The objective metric's aggregate over the point's trials (objective.aggregate).")
          Double value,
      @JsonPropertyDescription(
              "The objective metric's population standard deviation over the point's trials (with repeats or folds).")
          Double std,
      @JsonPropertyDescription("How many trials the aggregate is over (with repeats or folds).")
          Integer n,
      @JsonPropertyDescription(
              "1 = best; equal values share the lower rank, like scikit-learn's rank_test_score.")
          Integer rank,
      @JsonPropertyDescription("The point's parameter values, as substituted.")
          Map<String, String> parameters,
      @JsonPropertyDescription("Every metric's aggregate (in best only).")
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
