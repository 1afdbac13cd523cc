package dev.gridsearch.operator.api;

import io.fabric8.generator.annotation.Default;

/** What happens to a finished trial's Job; the best trial's Job is always kept. */
public record Cleanup(@Default("Delete") FinishedJobs finishedJobs) {

  public enum FinishedJobs { Delete, Keep }
}
