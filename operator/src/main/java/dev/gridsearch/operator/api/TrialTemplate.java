package dev.gridsearch.operator.api;

import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;

/**
 * A batch/v1 JobTemplateSpec with placeholders. Typed in Java, but nearly schemaless in the CRD (only the path to
 * the containers is declared, for CEL): the API server validates the real Job with a dry-run before trial 0.
 */
@ValidationRule(value = "!has(self.primaryContainer) || self.spec.template.spec.containers.exists(c, c.name == self.primaryContainer)",
    message = "trialTemplate.primaryContainer must name one of the containers")
public record TrialTemplate(
    @PreserveUnknownFields @SchemaFrom(type = TrialTemplateShape.Metadata.class) ObjectMeta metadata,
    @Required @SchemaFrom(type = TrialTemplateShape.JobSpec.class) JobSpec spec,
    String primaryContainer) {}
