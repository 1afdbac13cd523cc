package dev.gridsearch.operator.trial;

/** A trial's lifecycle state, as API.md defines it. */
public enum TrialState {
  Pending,
  Running,
  Succeeded,
  Failed,
  MetricsMissing,
  Stopped;

  public boolean isFinal() {
    return this != Pending && this != Running;
  }

  /** Counts against maxFailedTrials. */
  public boolean isFailure() {
    return this == Failed || this == MetricsMissing;
  }
}
