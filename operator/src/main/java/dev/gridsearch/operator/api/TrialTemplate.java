package dev.gridsearch.operator.api;

import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A batch/v1 JobTemplateSpec with placeholders. Nearly schemaless in the CRD (only the path to the containers is
 * declared, for CEL) and untyped here, so a template that is not a valid Job never stops the GridSearch from being
 * read: it is rendered, then judged by a server-side dry-run before trial 0.
 */
@ValidationRule(value = "!has(self.primaryContainer) || self.spec.template.spec.containers.exists(c, c.name == self.primaryContainer)",
    message = "trialTemplate.primaryContainer must name one of the containers")
public record TrialTemplate(
    @PreserveUnknownFields @SchemaFrom(type = TrialTemplateShape.Metadata.class) JsonNode metadata,
    @Required @SchemaFrom(type = TrialTemplateShape.JobSpec.class) JsonNode spec,
    @Size(max = 63) String primaryContainer) {}
