package dev.gridsearch.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;
import java.util.Map;

/** What the operator reports; bounded in size whatever the grid (no per-trial list). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GridSearchStatus(
    Long observedGeneration,
    Phase phase,
    Long gridSize,
    Long totalTrials,
    Long launched,
    String progress,
    TrialCounts trials,
    TrialSummary best,
    List<TrialSummary> leaderboard,
    ResultsRef results,
    String startTime,
    String completionTime,
    BudgetStatus budget,
    Preflight preflight,
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
      return new GridSearchStatus(observedGeneration, phase, gridSize, totalTrials, launched, progress, trials, best, leaderboard, results, startTime, completionTime, budget, preflight, conditions);
    }
  }

  public enum Phase { Pending, Running, Succeeded, Failed, Suspended }

  public record TrialCounts(long pending, long running, long succeeded, long failed, long metricsMissing,
      long stopped) {}

  /** A trial as the status shows it: in best, job and metrics are set; in the leaderboard they are left out. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record TrialSummary(long trial, String job, Double value, Map<String, String> parameters,
      Map<String, Double> metrics) {}

  public record ResultsRef(List<String> configMaps, long records) {}

  /** What the budget has used: elapsed wall time, and per resource "used/limit" in resource-hours. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record BudgetStatus(String elapsed, String maxDuration, Map<String, String> resourceHours) {}

  /**
   * The plan before and while it runs: what one trial requests, the peak at parallelism, whether that peak fits the
   * namespace's quotas, and (once trials have run) an estimate of the resource-hours the rest will take.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Preflight(Map<String, String> perTrial, Map<String, String> peak, Boolean peakFitsQuota,
      String quota, Map<String, String> remainingResourceHours) {}
}
