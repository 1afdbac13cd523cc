package dev.gridsearch.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridsearch.operator.RepoFiles;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The committed CRD copies are exactly what the build generates from the Java model. */
class CrdTest {

  @ParameterizedTest(name = "{0} is the generated CRD")
  @ValueSource(strings = {"crd", "helm/gridsearch-operator/crds", "deploy"})
  void committedCopyMatchesGenerated(String dir) throws IOException {
    Path committed = RepoFiles.root().resolve(dir).resolve(RepoFiles.CRD_FILE);
    assertThat(committed).exists();
    assertThat(Files.readString(committed))
        .as("%s drifted from the Java model: run `make crd` and commit the result", committed)
        .isEqualTo(Files.readString(RepoFiles.generatedCrd()));
  }

  @Test
  void crdIsSmallEnoughForClientSideApply() throws IOException {
    assertThat(Files.size(RepoFiles.generatedCrd())).isLessThan(200 * 1024);
  }

  @Test
  void everyFieldHasADescriptionForKubectlExplain() throws IOException {
    List<String> missing = new ArrayList<>();
    walk("", crd().getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema(), missing);
    assertThat(missing).as("fields without a description (add @JsonPropertyDescription)").isEmpty();
  }

  @Test
  void categoriesWideColumnsListMapConditionsAndDateTimes() throws IOException {
    var crd = crd();
    assertThat(crd.getSpec().getNames().getCategories()).containsExactly("ml");
    var version = crd.getSpec().getVersions().get(0);
    assertThat(version.getAdditionalPrinterColumns())
        .extracting(c -> c.getName() + "/" + c.getPriority())
        .containsExactly(
            "Phase/0",
            "Progress/0",
            "Best/0",
            "Age/0",
            "Metric/1",
            "Running/1",
            "Failed/1",
            "Reason/1");
    assertThat(version.getAdditionalPrinterColumns().get(7).getJsonPath())
        .isEqualTo(".status.conditions[?(@.type==\"Ready\")].reason");
    JSONSchemaProps status = version.getSchema().getOpenAPIV3Schema().getProperties().get("status");
    JSONSchemaProps conditions = status.getProperties().get("conditions");
    assertThat(conditions.getXKubernetesListType()).isEqualTo("map");
    assertThat(conditions.getXKubernetesListMapKeys()).containsExactly("type");
    assertThat(conditions.getItems().getSchema().getRequired()).contains("type");
    assertThat(
            conditions.getItems().getSchema().getProperties().get("lastTransitionTime").getFormat())
        .isEqualTo("date-time");
    assertThat(status.getProperties().get("startTime").getFormat()).isEqualTo("date-time");
    assertThat(status.getProperties().get("completionTime").getFormat()).isEqualTo("date-time");
  }

  private static CustomResourceDefinition crd() throws IOException {
    return new KubernetesSerialization()
        .unmarshal(Files.readString(RepoFiles.generatedCrd()), CustomResourceDefinition.class);
  }

  private static void walk(String path, JSONSchemaProps schema, List<String> missing) {
    if (schema.getProperties() != null) {
      schema
          .getProperties()
          .forEach(
              (name, child) -> {
                String at = path.isEmpty() ? name : path + "." + name;
                // apiVersion, kind and metadata are explained by kubectl from the API's own
                // definitions.
                boolean standard =
                    path.isEmpty() && List.of("apiVersion", "kind", "metadata").contains(name);
                if (!standard
                    && (child.getDescription() == null || child.getDescription().isBlank())) {
                  missing.add(at);
                }
                walk(at, child, missing);
              });
    }
    if (schema.getItems() != null && schema.getItems().getSchema() != null) {
      walk(path + "[]", schema.getItems().getSchema(), missing);
    }
    if (schema.getAdditionalProperties() != null
        && schema.getAdditionalProperties().getSchema() != null) {
      walk(path + "{}", schema.getAdditionalProperties().getSchema(), missing);
    }
  }
}
