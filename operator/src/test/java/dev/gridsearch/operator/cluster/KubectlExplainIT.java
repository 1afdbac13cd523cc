package dev.gridsearch.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridsearch.operator.api.GridSearch;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What kubectl shows of the CRD, from the real API server's published OpenAPI: field descriptions
 * in {@code kubectl explain}, the wide printer columns, and the category.
 */
@ExtendWith(ClusterExtension.class)
class KubectlExplainIT {
  private final ClusterNamespace ns;

  KubectlExplainIT(ClusterNamespace ns) {
    this.ns = ns;
  }

  @Test
  void explainPrintsTheJavaModelsDescriptions() throws Exception {
    String parallelism = kubectl("explain", "gridsearch.spec.parallelism");
    assertThat(parallelism)
        .contains(
            "FIELD: parallelism <integer>",
            "DESCRIPTION:",
            "At most this many trials unfinished (created, not yet final) at once");
    assertThat(kubectl("explain", "gridsearches.spec.parameters.values"))
        .contains("Exactly one of values, range and logRange");
    assertThat(kubectl("explain", "gs.status.conditions.lastTransitionTime"))
        .contains("When status last changed (RFC 3339)");
    assertThat(kubectl("explain", "gridsearch"))
        .contains("A hyperparameter grid search: one Kubernetes Job per grid point");
  }

  @Test
  void wideColumnsAndTheCategory() throws Exception {
    GridSearch gs =
        ns.client()
            .getKubernetesSerialization()
            .unmarshal(AdmissionIT.valid("wide").toString(), GridSearch.class);
    ns.client().resources(GridSearch.class).inNamespace(ns.name()).resource(gs).create();
    String wide = kubectl("get", "gridsearches", "-n", ns.name(), "-o", "wide");
    assertThat(wide.lines().findFirst().orElseThrow().split("\\s+"))
        .containsExactly(
            "NAME", "PHASE", "PROGRESS", "BEST", "AGE", "METRIC", "RUNNING", "FAILED", "REASON");
    assertThat(wide).contains("acc");
    assertThat(kubectl("get", "gridsearches", "-n", ns.name()).lines().findFirst().orElseThrow())
        .doesNotContain("METRIC");
    assertThat(kubectl("get", "ml", "-n", ns.name())).contains("wide");
  }

  private String kubectl(String... args) throws Exception {
    String binDir = TestCluster.script("bin-dir").output().strip();
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(binDir, "kubectl").toString(),
                "--kubeconfig=" + ns.cluster().kubeconfig()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("kubectl %s:\n%s", String.join(" ", args), out).isZero();
    return out;
  }
}
