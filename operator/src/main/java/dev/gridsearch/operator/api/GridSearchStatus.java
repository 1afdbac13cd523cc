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
