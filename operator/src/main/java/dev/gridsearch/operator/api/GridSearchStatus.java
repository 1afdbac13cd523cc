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
    List<Condition> conditions) {

  public enum Phase { Pending, Running, Succeeded, Failed, Suspended }

  public record TrialCounts(long pending, long running, long succeeded, long failed, long metricsMissing,
      long stopped) {}

  /** A trial as the status shows it: in best, job and metrics are set; in the leaderboard they are left out. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record TrialSummary(long trial, String job, Double value, Map<String, String> parameters,
      Map<String, Double> metrics) {}

  public record ResultsRef(List<String> configMaps, long records) {}
}
