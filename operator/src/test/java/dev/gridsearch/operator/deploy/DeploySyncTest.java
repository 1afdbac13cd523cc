package dev.gridsearch.operator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * deploy/ (kubectl apply -k) must install what the chart installs with its defaults; this keeps
 * them in sync.
 */
class DeploySyncTest {
  /** Labels only Helm adds (they name the chart and its manager); everything else must match. */
  private static final List<String> HELM_ONLY_LABELS =
      List.of("helm.sh/chart", "app.kubernetes.io/managed-by", "app.kubernetes.io/version");

  @Test
  void deployHoldsTheChartDefaultsPlusTheNamespaceAndTheCrd() throws IOException {
    Map<String, Map<String, Object>> chart =
        byKey(ChartRender.template("gridsearch-operator", "gridsearch-system", Map.of()).objects());
    Map<String, Map<String, Object>> deploy = byKey(DeployManifests.objects());

    assertThat(deploy.keySet()).containsAll(chart.keySet());
    assertThat(deploy.keySet().stream().filter(k -> !chart.containsKey(k)))
        .containsExactlyInAnyOrder(
            "Namespace//gridsearch-system",
            "CustomResourceDefinition//gridsearches.gridsearch.dev");
    // Map equality ignores key order (Helm's toYaml sorts keys); the YAML in the message shows the
    // difference.
    chart.forEach(
        (key, object) ->
            assertThat(deploy.get(key))
                .as(
                    "%s\nchart:\n%s\ndeploy/:\n%s",
                    key, ChartRender.YAML.asYaml(object), ChartRender.YAML.asYaml(deploy.get(key)))
                .isEqualTo(object));
  }

  @Test
  void theKustomizationNamespaceChangesNothing() throws IOException {
    // kustomize would move namespaced objects to gridsearch-system; they must already say so, or
    // the files lie.
    assertThat(
            DeployManifests.objects().stream()
                .filter(
                    o ->
                        !List.of(
                                "Namespace",
                                "CustomResourceDefinition",
                                "ClusterRole",
                                "ClusterRoleBinding",
                                "ValidatingAdmissionPolicy",
                                "ValidatingAdmissionPolicyBinding")
                            .contains(o.getKind()))
                .map(o -> o.getMetadata().getNamespace()))
        .containsOnly("gridsearch-system");
  }

  @Test
  void theOperatorNamespaceEnforcesTheRestrictedPodSecurityLevel() throws IOException {
    assertThat(
            DeployManifests.objects().stream()
                .filter(o -> o.getKind().equals("Namespace"))
                .findFirst()
                .orElseThrow()
                .getMetadata()
                .getLabels())
        .containsEntry("pod-security.kubernetes.io/enforce", "restricted");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, Object>> byKey(List<GenericKubernetesResource> objects) {
    return objects.stream()
        .collect(
            Collectors.toMap(
                o ->
                    o.getKind()
                        + "/"
                        + (o.getMetadata().getNamespace() == null
                            ? ""
                            : o.getMetadata().getNamespace())
                        + "/"
                        + o.getMetadata().getName(),
                o -> {
                  Map<String, Object> map =
                      ChartRender.YAML.unmarshal(ChartRender.YAML.asJson(o), TreeMap.class);
                  Map<String, Object> metadata = (Map<String, Object>) map.get("metadata");
                  Map<String, Object> labels = (Map<String, Object>) metadata.get("labels");
                  if (labels != null) {
                    HELM_ONLY_LABELS.forEach(labels::remove);
                  }
                  return map;
                },
                (a, b) -> a,
                TreeMap::new));
  }
}
