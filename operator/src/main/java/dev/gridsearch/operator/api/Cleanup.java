package dev.gridsearch.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

/** What happens to a finished trial's Job; the best trial's Job is always kept. */
public record Cleanup(
    @JsonPropertyDescription(
            "Delete (the default) or Keep the Jobs of finished trials; their results stay in the results ConfigMaps.")
        @Default("Delete")
        FinishedJobs finishedJobs) {

  public enum FinishedJobs {
    Delete,
    Keep
  }
}
