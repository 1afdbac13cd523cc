package dev.gridsearch.operator.api;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Adds to the generated CRD what Fabric8's generator cannot express: the order of the printer
 * columns; about {@code values}, whose items mix strings, numbers and booleans, the value pattern
 * and "no objects or lists" on the items; the list-map shape and date-time formats of the status;
 * the descriptions of spec, status and Fabric8's Condition. Runs in the build, right after the
 * generator (process-classes).
 */
public final class CrdFinisher {
  static final String HEADER =
      "# Generated from operator/src/main/java/dev/gridsearch/operator/api by Fabric8's CRD"
          + " generator and CrdFinisher.\n# Do not edit: change the Java model and run `make crd`.\n";

  static final List<String> COLUMNS =
      List.of("Phase", "Progress", "Best", "Age", "Metric", "Running", "Failed", "Reason");

  /** metav1.Condition's own descriptions (Fabric8's Condition model carries none). */
  static final Map<String, String> CONDITION_FIELDS =
      Map.of(
          "type", "The condition's type: Ready, Complete, Failed, QuotaLimited or Suspended.",
          "status", "True, False or Unknown.",
          "reason",
              "A CamelCase reason for the last transition, e.g. Running, GridExhausted, Invalid.",
          "message", "A human-readable explanation of the last transition.",
          "lastTransitionTime", "When status last changed (RFC 3339).",
          "observedGeneration", "The metadata.generation the condition was set for.");

  private CrdFinisher() {}

  public static void main(String[] args) throws IOException {
    Path file = Path.of(args[0]);
    KubernetesSerialization yaml = new KubernetesSerialization();
    CustomResourceDefinition crd =
        yaml.unmarshal(Files.readString(file), CustomResourceDefinition.class);
    finish(crd);
    Files.writeString(file, HEADER + yaml.asYaml(crd));
  }

  static void finish(CustomResourceDefinition crd) {
    var version = crd.getSpec().getVersions().get(0);
    // The generator sorts printer columns by name; kubectl shows them in this order.
    version
        .getAdditionalPrinterColumns()
        .sort(java.util.Comparator.comparingInt(c -> COLUMNS.indexOf(c.getName())));
    JSONSchemaProps root = version.getSchema().getOpenAPIV3Schema();
    root.setDescription(
        "A hyperparameter grid search: one Kubernetes Job per grid point, results in ConfigMaps.");
    JSONSchemaProps spec = root.getProperties().get("spec");
    spec.setDescription(
        "What to search: the grid, the objective, the trial Job template and the limits.");
    JSONSchemaProps parameter = spec.getProperties().get("parameters").getItems().getSchema();
    JSONSchemaProps item = parameter.getProperties().get("values").getItems().getSchema();
    item.setPattern(Parameter.VALUE_PATTERN);
    item.setMaxItems(0L);
    item.setMaxProperties(0L);
    // No oneOf for "exactly one of values, range, logRange": its generic message would be all a
    // user sees. CEL cannot
    // see values (untyped items), so CEL checks range with logRange, and the admission policy and
    // the operator the rest.

    JSONSchemaProps status = root.getProperties().get("status");
    status.setDescription(
        "What the operator observed and decided; bounded in size whatever the grid.");
    status.getProperties().get("startTime").setFormat("date-time");
    status.getProperties().get("completionTime").setFormat("date-time");
    JSONSchemaProps conditions = status.getProperties().get("conditions");
    // One condition per type, merged by type under server-side apply.
    conditions.setXKubernetesListType("map");
    conditions.setXKubernetesListMapKeys(List.of("type"));
    JSONSchemaProps condition = conditions.getItems().getSchema();
    condition.setRequired(List.of("type", "status"));
    condition.getProperties().get("lastTransitionTime").setFormat("date-time");
    CONDITION_FIELDS.forEach(
        (field, text) -> condition.getProperties().get(field).setDescription(text));
  }
}
