package dev.gridsearch.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * A batch/v1 JobTemplateSpec with placeholders. Nearly schemaless in the CRD (only the path to the
 * containers is declared, for CEL) and untyped here, so a template that is not a valid Job never
 * stops the GridSearch from being read: it is rendered, then judged by a server-side dry-run before
 * trial 0.
 */
@ValidationRule(
    value =
        "!has(self.primaryContainer) || self.spec.template.spec.containers.exists(c, c.name == self.primaryContainer)",
    message = "trialTemplate.primaryContainer must name one of the containers")
public record TrialTemplate(
    @JsonPropertyDescription("Labels and annotations for each trial Job (placeholders allowed).")
        @PreserveUnknownFields
        @SchemaFrom(type = TrialTemplateShape.Metadata.class)
        JsonNode metadata,
    @JsonPropertyDescription(
            "A batch/v1 JobSpec; validated by a server-side dry-run of trial 0's Job before any trial starts.")
        @Required
        @SchemaFrom(type = TrialTemplateShape.JobSpec.class)
        JsonNode spec,
    @JsonPropertyDescription(
            "The container whose termination message carries the metrics; default: the first container.")
        @Size(max = 63)
        String primaryContainer) {}
