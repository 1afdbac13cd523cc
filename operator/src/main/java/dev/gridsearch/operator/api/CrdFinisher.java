package dev.gridsearch.operator.api;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Adds to the generated CRD what Fabric8's generator cannot express: the order of the printer columns, and two
 * things about {@code values}, whose items mix strings, numbers and booleans and are therefore untyped (and invisible
 * to CEL): the value pattern and "no objects or lists" on the items, and "exactly one of values, range, logRange" as
 * a oneOf. Runs in the build, right after the generator (process-classes).
 */
public final class CrdFinisher {
  static final String HEADER = "# Generated from operator/src/main/java/dev/gridsearch/operator/api by Fabric8's CRD"
      + " generator and CrdFinisher.\n# Do not edit: change the Java model and run `make crd`.\n";

  static final List<String> COLUMNS = List.of("Phase", "Progress", "Best", "Age");

  private CrdFinisher() {}

  public static void main(String[] args) throws IOException {
    Path file = Path.of(args[0]);
    KubernetesSerialization yaml = new KubernetesSerialization();
    CustomResourceDefinition crd = yaml.unmarshal(Files.readString(file), CustomResourceDefinition.class);
    finish(crd);
    Files.writeString(file, HEADER + yaml.asYaml(crd));
  }

  static void finish(CustomResourceDefinition crd) {
    var version = crd.getSpec().getVersions().get(0);
    // The generator sorts printer columns by name; kubectl shows them in this order.
    version.getAdditionalPrinterColumns().sort(java.util.Comparator.comparingInt(c -> COLUMNS.indexOf(c.getName())));
    JSONSchemaProps parameter = version.getSchema().getOpenAPIV3Schema()
        .getProperties().get("spec").getProperties().get("parameters").getItems().getSchema();
    JSONSchemaProps item = parameter.getProperties().get("values").getItems().getSchema();
    item.setPattern(Parameter.VALUE_PATTERN);
    item.setMaxItems(0L);
    item.setMaxProperties(0L);
    parameter.setOneOf(List.of(required("values"), required("range"), required("logRange")));
  }

  private static JSONSchemaProps required(String field) {
    return new JSONSchemaPropsBuilder().withRequired(field).build();
  }
}
