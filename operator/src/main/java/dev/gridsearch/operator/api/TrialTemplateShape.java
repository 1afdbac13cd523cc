package dev.gridsearch.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/**
 * Schema-only shapes for the trial template: just enough structure for CEL rules, the rest
 * preserved.
 */
final class TrialTemplateShape {
  private TrialTemplateShape() {}

  @PreserveUnknownFields
  static final class Metadata {}

  @PreserveUnknownFields
  static final class JobSpec {
    @JsonPropertyDescription("The pod template of each trial Job.")
    @Required
    public PodTemplate template;
  }

  @PreserveUnknownFields
  static final class PodTemplate {
    @JsonPropertyDescription("The trial pod's spec.")
    @Required
    public PodSpec spec;
  }

  @PreserveUnknownFields
  static final class PodSpec {
    @JsonPropertyDescription("The trial's containers, at least one.")
    @Required
    @Size(min = 1, max = 100)
    public List<Container> containers;

    @JsonPropertyDescription("Never (the default) or OnFailure.")
    @Default("Never")
    public RestartPolicy restartPolicy;
  }

  @PreserveUnknownFields
  static final class Container {
    @JsonPropertyDescription("The container's name.")
    @Required
    @Size(max = 63)
    public String name;
  }

  enum RestartPolicy {
    Never,
    OnFailure
  }
}
