package dev.gridsearch.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gridsearch.operator.RepoFiles;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * API.md's validation catalogue, proven against the real kube-apiserver: each bad spec is refused
 * with its message.
 */
@ExtendWith(ClusterExtension.class)
class AdmissionIT {
  private static final KubernetesSerialization YAML = new KubernetesSerialization();
  private static final com.fasterxml.jackson.databind.ObjectMapper SNIPPETS =
      new com.fasterxml.jackson.databind.ObjectMapper(
          new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());
  private static final String VALID =
      """
      apiVersion: gridsearch.dev/v1alpha1
      kind: GridSearch
      metadata: {name: NAME}
      spec:
        parameters:
          - {name: lr, values: [0.1, 0.01]}
          - {name: depth, range: {min: 1, max: 3, step: 1}}
          - {name: wd, logRange: {min: 1.0e-5, max: 1.0e-3, count: 3}}
        objective: {metric: acc, goal: Maximize}
        suspend: true
        trialTemplate:
          spec:
            template:
              spec:
                containers:
                  - {name: train, image: busybox:1.36, args: ["${params.lr}"]}
      """;

  private final ClusterNamespace ns;

  AdmissionIT(ClusterNamespace ns) {
    this.ns = ns;
  }

  static ObjectNode valid(String name) {
    return (ObjectNode) YAML.unmarshal(VALID.replace("NAME", name), JsonNode.class);
  }

  /** Sets the value at a dotted path (with [i] for list items) to the given YAML. */
  static UnaryOperator<ObjectNode> set(String path, String yaml) {
    return root -> {
      String[] parts = path.split("\\.");
      JsonNode parent = root;
      for (int i = 0; i < parts.length - 1; i++) {
        parent = step(parent, parts[i]);
      }
      String last = parts[parts.length - 1];
      JsonNode value;
      try {
        value = yaml == null ? null : SNIPPETS.readTree(yaml);
      } catch (IOException e) {
        throw new IllegalArgumentException("bad YAML in a test case: " + yaml, e);
      }
      if (last.endsWith("]")) {
        int idx = Integer.parseInt(last.substring(last.indexOf('[') + 1, last.length() - 1));
        ((ArrayNode) step(parent, last.substring(0, last.indexOf('[')))).set(idx, value);
      } else if (value == null) {
        ((ObjectNode) parent).remove(last);
      } else {
        ((ObjectNode) parent).set(last, value);
      }
      return root;
    };
  }

  private static JsonNode step(JsonNode node, String part) {
    if (part.endsWith("]")) {
      int idx = Integer.parseInt(part.substring(part.indexOf('[') + 1, part.length() - 1));
      return node.get(part.substring(0, part.indexOf('['))).get(idx);
    }
    return node.get(part);
  }

  static Arguments refused(String rule, UnaryOperator<ObjectNode> change, String... expected) {
    return Arguments.of(rule, change, List.of(expected));
  }

  static Stream<Arguments> catalogue() {
    String many =
        IntStream.range(0, 33)
            .mapToObj(i -> "{name: p" + i + ", values: [1]}")
            .reduce((a, b) -> a + ", " + b)
            .map(s -> "[" + s + "]")
            .orElseThrow();
    String thousandOne =
        IntStream.range(0, 1001)
            .mapToObj(Integer::toString)
            .reduce((a, b) -> a + ", " + b)
            .map(s -> "[" + s + "]")
            .orElseThrow();
    return Stream.of(
        refused(
            "1 parameters: more than 32",
            set("spec.parameters", many),
            "spec.parameters",
            "must have at most 32 items"),
        refused(
            "1 parameters: none",
            set("spec.parameters", "[]"),
            "spec.parameters",
            "should have at least 1 items"),
        refused(
            "1 parameters: duplicate names",
            set("spec.parameters[1].name", "lr"),
            "parameter names must be unique"),
        refused(
            "1 parameters: bad name",
            set("spec.parameters[0].name", "1lr"),
            "spec.parameters[0].name",
            "^[A-Za-z][A-Za-z0-9_]{0,62}$"),
        // values with range or logRange, and no kind at all, are the admission policy's
        // (AdmissionPolicyIT) and the
        // operator's (BadInputIT): CEL cannot see values. No generic oneOf message either way.
        refused(
            "2 parameter: range and logRange",
            set("spec.parameters[1].logRange", "{min: 1, max: 2, count: 2}"),
            "spec.parameters[1]: Invalid value: \"object\": exactly one of values, range or logRange must be set"),
        refused(
            "3 values: shell metacharacters",
            set("spec.parameters[0].values", "['ok', 'a;rm -rf /', '$(id)']"),
            "spec.parameters[0].values[1]: Invalid value: \"a;rm -rf /\"",
            "spec.parameters[0].values[2]: Invalid" + " value: \"$(id)\"",
            "should match '^[A-Za-z0-9._+:/=@-]{1,128}$'"),
        refused(
            "3 values: longer than 128",
            set("spec.parameters[0].values", "['" + "x".repeat(129) + "']"),
            "spec.parameters[0].values[0]",
            "should match"),
        refused(
            "3 values: an object",
            set("spec.parameters[0].values", "[{a: 1}]"),
            "spec.parameters[0].values[0]",
            "must have at most 0"),
        refused(
            "3 values: a list",
            set("spec.parameters[0].values", "[[1, 2]]"),
            "spec.parameters[0].values[0]",
            "must have at most 0 items"),
        refused(
            "3 values: empty",
            set("spec.parameters[0].values", "[]"),
            "should have at least 1 items"),
        refused(
            "3 values: more than 1000",
            set("spec.parameters[0].values", thousandOne),
            "must have at most 1000 items"),
        refused(
            "4 range: step 0",
            set("spec.parameters[1].range.step", "0"),
            "range.step must be greater than 0"),
        refused(
            "4 range: min > max",
            set("spec.parameters[1].range", "{min: 5, max: 1, step: 1}"),
            "range.min must not be greater than range.max"),
        refused(
            "4 range: too many values",
            set("spec.parameters[1].range", "{min: 0, max: 100000, step: 1}"),
            "range must yield at most 100,000 values"),
        refused(
            "5 logRange: min 0",
            set("spec.parameters[2].logRange.min", "0"),
            "logRange.min must be greater than 0"),
        refused(
            "5 logRange: min > max",
            set("spec.parameters[2].logRange", "{min: 1, max: 0.1, count: 3}"),
            "logRange.min must not be greater than logRange.max"),
        refused(
            "5 logRange: count 0",
            set("spec.parameters[2].logRange.count", "0"),
            "should be greater than or equal to 1"),
        refused(
            "5 logRange: count 1001",
            set("spec.parameters[2].logRange.count", "1001"),
            "should be less than or equal to 1000"),
        refused(
            "5 logRange: count 1 with min != max",
            set("spec.parameters[2].logRange.count", "1"),
            "logRange.count 1 requires min == max"),
        refused(
            "6 objective: bad metric",
            set("spec.objective.metric", "'1 acc'"),
            "spec.objective.metric",
            "^[A-Za-z_][A-Za-z0-9_.:/-]{0,127}$"),
        refused(
            "6 objective: bad goal",
            set("spec.objective.goal", "Up"),
            "spec.objective.goal",
            "Unsupported value: \"Up\""),
        refused(
            "7 parallelism 0",
            set("spec.parallelism", "0"),
            "spec.parallelism",
            "greater than or equal to 1"),
        refused(
            "7 parallelism 10001",
            set("spec.parallelism", "10001"),
            "spec.parallelism",
            "less than or equal to 10000"),
        refused(
            "7 maxFailedTrials -1",
            set("spec.maxFailedTrials", "-1"),
            "spec.maxFailedTrials",
            "greater than or equal to 0"),
        refused(
            "7 trialRetries 11",
            set("spec.trialRetries", "11"),
            "spec.trialRetries",
            "less than or equal to 10"),
        refused(
            "8 budget.maxTrials 0",
            set("spec.budget", "{maxTrials: 0}"),
            "spec.budget.maxTrials",
            "greater than or equal to 1"),
        refused(
            "8 budget.maxDuration not a duration",
            set("spec.budget", "{maxDuration: 6 hours}"),
            "spec.budget.maxDuration",
            "should match"),
        refused(
            "8 budget.maxDuration zero",
            set("spec.budget", "{maxDuration: 0h0m}"),
            "budget.maxDuration must be positive"),
        refused(
            "9 no containers",
            set("spec.trialTemplate.spec.template.spec.containers", "[]"),
            "spec.trialTemplate.spec.template.spec.containers",
            "should have at least 1 items"),
        refused(
            "9 containers missing",
            set("spec.trialTemplate.spec.template.spec.containers", null),
            "spec.trialTemplate.spec.template.spec.containers",
            "Required value"),
        refused(
            "9 restartPolicy Always",
            set("spec.trialTemplate.spec.template.spec.restartPolicy", "Always"),
            "Unsupported value: \"Always\""),
        refused(
            "9 primaryContainer names no container",
            set("spec.trialTemplate.primaryContainer", "nope"),
            "trialTemplate.primaryContainer must name one of the containers"),
        refused(
            "10 leaderboardSize 51",
            set("spec.leaderboardSize", "51"),
            "spec.leaderboardSize",
            "less than or equal to 50"),
        refused(
            "10 cleanup.finishedJobs",
            set("spec.cleanup", "{finishedJobs: Sometimes}"),
            "Unsupported value: \"Sometimes\""),
        refused(
            "13 repeats 0", set("spec.repeats", "0"), "spec.repeats", "greater than or equal to 1"),
        refused(
            "13 folds 101", set("spec.folds", "101"), "spec.folds", "less than or equal to 100"),
        refused(
            "13 objective.aggregate",
            set("spec.objective.aggregate", "average"),
            "spec.objective.aggregate",
            "Unsupported value: \"average\""),
        refused(
            "13 objective.failedTrials",
            set("spec.objective.failedTrials", "Ignore"),
            "Unsupported value: \"Ignore\""),
        refused(
            "13 a constraint that is not <metric> <op> <number>",
            set("spec.objective.constraints", "['latency_ms <> 50']"),
            "spec.objective.constraints[0]",
            "latency_ms <> 50"),
        refused(
            "12 name of 53 characters",
            set("metadata.name", "a".repeat(53)),
            "metadata.name must be at most 52 characters"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("catalogue")
  void refusesAtAdmission(String rule, UnaryOperator<ObjectNode> change, List<String> expected) {
    ObjectNode object = change.apply(valid("bad-" + Math.abs(rule.hashCode())));
    assertThatThrownBy(() -> create(object))
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(422))
        .satisfies(e -> assertThat(e.getMessage()).contains(expected).doesNotContain("oneOf"));
  }

  @Test
  @DisplayName("the valid base object is accepted, and the schema fills in the defaults")
  void validIsAcceptedWithDefaults() {
    GenericKubernetesResource created = create(valid("good"));
    JsonNode spec =
        YAML.convertValue(created.getAdditionalProperties().get("spec"), JsonNode.class);
    assertThat(spec.get("parallelism").asInt()).isEqualTo(1);
    assertThat(spec.get("trialRetries").asInt()).isEqualTo(0);
    assertThat(spec.get("leaderboardSize").asInt()).isEqualTo(5);
    assertThat(spec.at("/trialTemplate/spec/template/spec/restartPolicy").asText())
        .isEqualTo("Never");
    assertThat(spec.at("/trialTemplate/spec/template/spec/containers/0/image").asText())
        .isEqualTo("busybox:1.36");
  }

  static Stream<Path> examples() throws IOException {
    try (Stream<Path> files = Files.list(RepoFiles.root().resolve("examples"))) {
      return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }

  @Test
  @DisplayName(
      "the Argo Workflows example's GridSearch is accepted and its conditions name fields of the CRD")
  void argoWorkflowsExample() throws IOException {
    JsonNode workflow =
        YAML.unmarshal(
            Files.readString(
                RepoFiles.root().resolve("deploy/argo-workflows/gridsearch-workflow.yaml")),
            JsonNode.class);
    JsonNode resource =
        java.util.stream.StreamSupport.stream(workflow.at("/spec/templates").spliterator(), false)
            .map(t -> t.get("resource"))
            .filter(java.util.Objects::nonNull)
            .findFirst()
            .orElseThrow();
    assertThat(resource.get("successCondition").asText()).isEqualTo("status.phase == Succeeded");
    assertThat(resource.get("failureCondition").asText()).isEqualTo("status.phase in (Failed)");
    ObjectNode search =
        (ObjectNode) YAML.unmarshal(resource.get("manifest").asText(), JsonNode.class);
    ((ObjectNode) search.get("spec")).put("suspend", true);
    GenericKubernetesResource created = create(search);
    assertThat(created.getMetadata().getName()).startsWith("sweep-");
    // The output parameter's path exists in the schema (a typo would leave Argo waiting for
    // nothing).
    assertThat(
            YAML.asJson(
                ns.client()
                    .apiextensions()
                    .v1()
                    .customResourceDefinitions()
                    .withName("gridsearches.gridsearch.dev")
                    .get()
                    .getSpec()
                    .getVersions()
                    .get(0)
                    .getSchema()
                    .getOpenAPIV3Schema()
                    .getProperties()
                    .get("status")
                    .getProperties()
                    .get("best")
                    .getProperties()))
        .contains("\"parameters\"");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void examplesAreAccepted(Path example) throws IOException {
    ObjectNode object = (ObjectNode) YAML.unmarshal(Files.readString(example), JsonNode.class);
    ((ObjectNode) object.get("spec")).put("suspend", true);
    assertThat(create(object).getMetadata().getUid()).isNotBlank();
  }

  static Stream<Arguments> immutable() {
    return Stream.of(
        Arguments.of("parameters", set("spec.parameters[0].values", "[0.5]")),
        Arguments.of("objective", set("spec.objective.goal", "Minimize")),
        Arguments.of(
            "trialTemplate",
            set("spec.trialTemplate.spec.template.spec.containers[0].image", "evil:1")),
        Arguments.of(
            "trialTemplate",
            set("spec.trialTemplate.spec.template.spec.containers[0].args", "['--other']")),
        Arguments.of("queueName", set("spec.queueName", "other")),
        Arguments.of("repeats", set("spec.repeats", "3")),
        Arguments.of("folds", set("spec.folds", "5")));
  }

  @ParameterizedTest(name = "11 spec.{0} is immutable ({index})")
  @MethodSource("immutable")
  void immutableFieldsCannotChange(String field, UnaryOperator<ObjectNode> change) {
    String name = "immutable-" + field.toLowerCase() + "-" + System.nanoTime() % 100000;
    GenericKubernetesResource created = create(valid(name));
    ObjectNode updated = change.apply(YAML.convertValue(created, ObjectNode.class));
    assertThatThrownBy(
            () ->
                ns.client()
                    .resource(YAML.convertValue(updated, GenericKubernetesResource.class))
                    .inNamespace(ns.name())
                    .update())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("spec." + field + " is immutable");
  }

  @Test
  @DisplayName("mutable fields can change")
  void mutableFieldsCanChange() {
    GenericKubernetesResource created = create(valid("mutable"));
    ObjectNode updated =
        set("spec.parallelism", "7").apply(YAML.convertValue(created, ObjectNode.class));
    set("spec.budget", "{maxTrials: 3, maxDuration: 2h30m}").apply(updated);
    set("spec.leaderboardSize", "9").apply(updated);
    GenericKubernetesResource result =
        ns.client()
            .resource(YAML.convertValue(updated, GenericKubernetesResource.class))
            .inNamespace(ns.name())
            .update();
    assertThat(
            YAML.convertValue(result.getAdditionalProperties().get("spec"), JsonNode.class)
                .get("parallelism")
                .asInt())
        .isEqualTo(7);
  }

  private GenericKubernetesResource create(ObjectNode object) {
    GenericKubernetesResource resource = YAML.convertValue(object, GenericKubernetesResource.class);
    return ns.client().resource(resource).inNamespace(ns.name()).create();
  }
}
