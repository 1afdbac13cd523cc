package dev.gridsearch.operator.api;

import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** Schema-only shapes for the trial template: just enough structure for CEL rules, the rest preserved. */
final class TrialTemplateShape {
  private TrialTemplateShape() {}

  @PreserveUnknownFields
  static final class Metadata {}

  @PreserveUnknownFields
  static final class JobSpec {
    @Required public PodTemplate template;
  }

  @PreserveUnknownFields
  static final class PodTemplate {
    @Required public PodSpec spec;
  }

  @PreserveUnknownFields
  static final class PodSpec {
    @Required @Size(min = 1, max = 100) public List<Container> containers;
    @Default("Never") public RestartPolicy restartPolicy;
  }

  @PreserveUnknownFields
  static final class Container {
    @Required @Size(max = 63) public String name;
  }

  enum RestartPolicy { Never, OnFailure }
}
