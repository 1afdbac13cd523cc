package dev.gridsearch.operator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridsearch.operator.RepoFiles;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** deploy/argocd/health.lua run by a real Lua 5.4 (hack/test-tools.sh installs lua5.4) on sample GridSearches. */
class HealthLuaTest {
  private static final KubernetesSerialization YAML = new KubernetesSerialization();
  private static final Path HEALTH = RepoFiles.root().resolve("deploy/argocd/health.lua");

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "Pending   | Progressing",
      "Running   | Progressing",
      "Succeeded | Healthy",
      "Failed    | Degraded",
      "Suspended | Suspended"})
  void mapsEachPhase(String phase, String health) throws Exception {
    String out = run("""
        apiVersion: gridsearch.dev/v1alpha1
        kind: GridSearch
        metadata: {name: s, namespace: ns}
        status:
          phase: %s
          progress: 3/12
          conditions:
            - {type: Complete, status: "False", reason: Running, message: "not yet"}
            - {type: Ready, status: "True", reason: %s, message: "ready says %s"}
        """.formatted(phase, phase, phase));
    assertThat(out).isEqualTo(health + "\tready says " + phase);
  }

  @Test
  void noStatusYetIsProgressing() throws Exception {
    assertThat(run("apiVersion: gridsearch.dev/v1alpha1\nkind: GridSearch\nmetadata: {name: s}\n"))
        .startsWith("Progressing\t");
  }

  @Test
  void withoutConditionsTheMessageIsPhaseAndProgress() throws Exception {
    assertThat(run("kind: GridSearch\nstatus: {phase: Running, progress: 4/12}\n")).isEqualTo("Progressing\tRunning 4/12");
  }

  @Test
  void theArgoCdConfigMapCarriesTheSameLua() throws IOException {
    String cm = Files.readString(RepoFiles.root().resolve("deploy/argocd/argocd-cm-health.yaml"));
    @SuppressWarnings("unchecked")
    Map<String, Object> data = (Map<String, Object>) YAML.unmarshal(cm, Map.class).get("data");
    assertThat(data.get("resource.customizations.health.gridsearch.dev_GridSearch"))
        .isEqualTo(Files.readString(HEALTH));
  }

  /** Sets the global obj as Argo CD does, runs health.lua, prints status TAB message. */
  private static String run(String objectYaml) throws IOException, InterruptedException {
    Object obj = YAML.unmarshal(objectYaml, Map.class);
    Path harness = Files.createTempFile("health-harness-", ".lua");
    try {
      Files.writeString(harness, "obj = " + lua(obj) + "\nlocal hs = dofile(" + lua(HEALTH.toString()) + ")\n"
          + "io.write(hs.status .. \"\\t\" .. hs.message)\n");
      Process p;
      try {
        p = new ProcessBuilder("lua5.4", harness.toString()).redirectErrorStream(true).start();
      } catch (IOException e) {
        throw new IllegalStateException("lua5.4 is not installed: run hack/test-tools.sh, as make test does", e);
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor()).as(out).isZero();
      return out;
    } finally {
      Files.deleteIfExists(harness);
    }
  }

  /** A Lua literal of a parsed YAML value. */
  private static String lua(Object v) {
    if (v instanceof Map<?, ?> m) {
      return m.entrySet().stream().map(e -> "[" + lua(String.valueOf(e.getKey())) + "] = " + lua(e.getValue()))
          .collect(Collectors.joining(", ", "{", "}"));
    }
    if (v instanceof List<?> l) {
      return l.stream().map(HealthLuaTest::lua).collect(Collectors.joining(", ", "{", "}"));
    }
    if (v instanceof Number || v instanceof Boolean) {
      return v.toString();
    }
    if (v == null) {
      return "nil";
    }
    return "\"" + v.toString().replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
  }
}
