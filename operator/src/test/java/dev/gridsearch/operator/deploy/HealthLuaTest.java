package dev.gridsearch.operator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridsearch.operator.RepoFiles;
import dev.gridsearch.operator.Tools;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * deploy/argocd/health.lua run on sample GridSearches by gopher-lua, the Lua Argo CD embeds
 * (hack/health-lua, built by hack/test-tools.sh), with the resource handed over as Argo CD does.
 */
class HealthLuaTest {
  private static final KubernetesSerialization YAML = new KubernetesSerialization();
  private static final Path HEALTH = RepoFiles.root().resolve("deploy/argocd/health.lua");

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "Pending   | Progressing",
        "Running   | Progressing",
        "Succeeded | Healthy",
        "Failed    | Degraded",
        "Suspended | Suspended"
      })
  void mapsEachPhase(String phase, String health) throws Exception {
    String out =
        run(
            """
        apiVersion: gridsearch.dev/v1alpha1
        kind: GridSearch
        metadata: {name: s, namespace: ns, generation: 2}
        status:
          observedGeneration: 2
          phase: %s
          progress: 3/12
          conditions:
            - {type: Complete, status: "False", reason: Running, message: "not yet"}
            - {type: Ready, status: "True", reason: %s, message: "ready says %s"}
        """
                .formatted(phase, phase, phase));
    assertThat(out).isEqualTo(health + "\tready says " + phase);
  }

  @Test
  void noStatusYetIsProgressing() throws Exception {
    assertThat(run("apiVersion: gridsearch.dev/v1alpha1\nkind: GridSearch\nmetadata: {name: s}\n"))
        .startsWith("Progressing\t");
  }

  @Test
  void withoutConditionsTheMessageIsPhaseAndProgress() throws Exception {
    assertThat(run("kind: GridSearch\nstatus: {phase: Running, progress: 4/12}\n"))
        .isEqualTo("Progressing\tRunning 4/12");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {"Succeeded | 1 | 2", "Failed    | 2 | 3", "Suspended | 4 | 5", "Running   |   | 1"})
  void aStatusOlderThanTheSpecIsProgressing(String phase, String observed, String generation)
      throws Exception {
    // A changed spec with the previous status (or a status without observedGeneration) must not
    // look settled.
    String out =
        run(
            """
        kind: GridSearch
        metadata: {name: s, generation: %s}
        status: {phase: %s, %s progress: 3/3}
        """
                .formatted(
                    generation,
                    phase,
                    observed == null ? "" : "observedGeneration: " + observed + ","));
    assertThat(out)
        .isEqualTo("Progressing\twaiting for the operator to observe generation " + generation);
  }

  @Test
  void aCurrentStatusIsJudgedByItsPhase() throws Exception {
    assertThat(
            run(
                "kind: GridSearch\nmetadata: {generation: 3}\nstatus: {observedGeneration: 3, phase: Succeeded,"
                    + " progress: 3/3}\n"))
        .isEqualTo("Healthy\tSucceeded 3/3");
  }

  @Test
  void theArgoCdConfigMapCarriesTheSameLua() throws IOException {
    String cm = Files.readString(RepoFiles.root().resolve("deploy/argocd/argocd-cm-health.yaml"));
    @SuppressWarnings("unchecked")
    Map<String, Object> data = (Map<String, Object>) YAML.unmarshal(cm, Map.class).get("data");
    assertThat(data.get("resource.customizations.health.gridsearch.dev_GridSearch"))
        .isEqualTo(Files.readString(HEALTH));
  }

  /** Runs health.lua with the object as Argo CD's global obj; prints status TAB message. */
  private static String run(String objectYaml) throws IOException, InterruptedException {
    String json = YAML.asJson(YAML.unmarshal(objectYaml, Map.class));
    Tools.Result r = Tools.run("health-lua", json, HEALTH.toString());
    assertThat(r.exitCode()).as(r.output()).isZero();
    return r.output();
  }
}
