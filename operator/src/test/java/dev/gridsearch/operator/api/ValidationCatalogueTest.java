package dev.gridsearch.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridsearch.operator.RepoFiles;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Each rule of API.md's validation catalogue is present in the generated CRD (the API server proves
 * them).
 */
class ValidationCatalogueTest {
  private static JSONSchemaProps root;
  private static JSONSchemaProps spec;

  @BeforeAll
  static void load() throws IOException {
    CustomResourceDefinition crd =
        new KubernetesSerialization()
            .unmarshal(Files.readString(RepoFiles.generatedCrd()), CustomResourceDefinition.class);
    root = crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
    spec = root.getProperties().get("spec");
  }

  private static JSONSchemaProps at(JSONSchemaProps from, String... path) {
    JSONSchemaProps node = from;
    for (String p : path) {
      node = p.equals("[]") ? node.getItems().getSchema() : node.getProperties().get(p);
      assertThat(node).as("schema path %s", String.join(".", path)).isNotNull();
    }
    return node;
  }

  private static List<String> rules(JSONSchemaProps node) {
    return node.getXKubernetesValidations() == null
        ? List.of()
        : node.getXKubernetesValidations().stream().map(ValidationRule::getRule).toList();
  }

  private static ValidationRule rule(JSONSchemaProps node, String message) {
    return node.getXKubernetesValidations().stream()
        .filter(r -> r.getMessage().equals(message))
        .findFirst()
        .orElseThrow(
            () -> new AssertionError("no rule with message: " + message + " in " + rules(node)));
  }

  @Test
  @DisplayName("1. parameters: 1 to 32 entries, unique names matching the name pattern")
  void parameters() {
    JSONSchemaProps parameters = at(spec, "parameters");
    assertThat(parameters.getMinItems()).isEqualTo(1L);
    assertThat(parameters.getMaxItems()).isEqualTo(32L);
    assertThat(spec.getRequired()).contains("parameters", "objective", "trialTemplate");
    assertThat(rule(spec, "parameter names must be unique").getFieldPath())
        .isEqualTo(".parameters");
    assertThat(at(parameters, "[]", "name").getPattern()).isEqualTo("^[A-Za-z][A-Za-z0-9_]{0,62}$");
    assertThat(at(parameters, "[]").getRequired()).contains("name");
  }

  @Test
  @DisplayName("2. each parameter sets exactly one of values, range, logRange")
  void exactlyOneKind() {
    JSONSchemaProps parameter = at(spec, "parameters", "[]");
    // No oneOf: its generic message hid the documented one (issue 13). CEL sees range and logRange
    // only; values'
    // items are untyped, so values with another kind is the admission policy's and SpecGrid's
    // (SpecGridTest).
    assertThat(parameter.getOneOf()).isNullOrEmpty();
    assertThat(rule(parameter, "exactly one of values, range or logRange must be set").getRule())
        .isEqualTo("!(has(self.range) && has(self.logRange))");
  }

  @Test
  @DisplayName(
      "3. values: 1 to 1,000 entries; strings match the value pattern; no objects or lists")
  void values() {
    JSONSchemaProps values = at(spec, "parameters", "[]", "values");
    assertThat(values.getMinItems()).isEqualTo(1L);
    assertThat(values.getMaxItems()).isEqualTo(1000L);
    JSONSchemaProps item = at(values, "[]");
    assertThat(item.getPattern()).isEqualTo(Parameter.VALUE_PATTERN);
    assertThat(item.getMaxItems()).isZero();
    assertThat(item.getMaxProperties()).isZero();
    assertThat(item.getXKubernetesPreserveUnknownFields()).isTrue();
    assertThat(java.util.regex.Pattern.compile(Parameter.VALUE_PATTERN).asPredicate())
        .accepts("adam", "0.001", "a-b_c.d+e:f/g=h@i")
        .rejects("a b", "$(rm)", "x;y", "`id`", "", "x".repeat(129));
  }

  @Test
  @DisplayName("4. range: step > 0, min <= max, at most 100,000 values")
  void range() {
    JSONSchemaProps range = at(spec, "parameters", "[]", "range");
    assertThat(range.getRequired()).containsExactlyInAnyOrder("min", "max", "step");
    assertThat(rule(range, "range.step must be greater than 0").getRule())
        .isEqualTo("self.step > 0.0");
    assertThat(rule(range, "range.min must not be greater than range.max").getRule())
        .isEqualTo("self.min <= self.max");
    assertThat(rule(range, "range must yield at most 100,000 values").getRule()).contains("100000");
  }

  @Test
  @DisplayName("5. logRange: 0 < min <= max, count 1 to 1,000, count 1 needs min == max")
  void logRange() {
    JSONSchemaProps logRange = at(spec, "parameters", "[]", "logRange");
    assertThat(rule(logRange, "logRange.min must be greater than 0").getRule())
        .isEqualTo("self.min > 0.0");
    assertThat(rule(logRange, "logRange.min must not be greater than logRange.max").getRule())
        .isEqualTo("self.min <= self.max");
    assertThat(rule(logRange, "logRange.count 1 requires min == max").getRule())
        .contains("self.count != 1");
    assertThat(at(logRange, "count").getMinimum()).isEqualTo(1.0);
    assertThat(at(logRange, "count").getMaximum()).isEqualTo(1000.0);
  }

  @Test
  @DisplayName("6. objective: metric pattern, goal Maximize or Minimize")
  void objective() {
    assertThat(at(spec, "objective", "metric").getPattern())
        .isEqualTo("^[A-Za-z_][A-Za-z0-9_.:/-]{0,127}$");
    assertThat(at(spec, "objective", "goal").getEnum())
        .extracting(Object::toString)
        .containsExactlyInAnyOrder("\"Maximize\"", "\"Minimize\"");
  }

  @Test
  @DisplayName("7. parallelism 1 to 10,000 (default 1), maxFailedTrials >= 0, trialRetries 0 to 10")
  void counts() {
    assertThat(at(spec, "parallelism").getMinimum()).isEqualTo(1.0);
    assertThat(at(spec, "parallelism").getMaximum()).isEqualTo(10000.0);
    assertThat(at(spec, "parallelism").getDefault().asInt()).isEqualTo(1);
    assertThat(at(spec, "maxFailedTrials").getMinimum()).isEqualTo(0.0);
    assertThat(at(spec, "trialRetries").getMinimum()).isEqualTo(0.0);
    assertThat(at(spec, "trialRetries").getMaximum()).isEqualTo(10.0);
  }

  @Test
  @DisplayName("8. budget: maxTrials >= 1, maxDuration a positive Go duration")
  void budget() {
    JSONSchemaProps budget = at(spec, "budget");
    assertThat(at(budget, "maxTrials").getMinimum()).isEqualTo(1.0);
    assertThat(
            java.util.regex.Pattern.compile(at(budget, "maxDuration").getPattern()).asPredicate())
        .accepts("90m", "6h", "2h30m", "1.5h", "30s")
        .rejects("6 hours", "-1h", "1d", "");
    assertThat(rule(budget, "budget.maxDuration must be positive").getRule())
        .contains("duration('0s')");
  }

  @Test
  @DisplayName("9. containers present and non-empty; restartPolicy Never or OnFailure")
  void template() {
    JSONSchemaProps podSpec = at(spec, "trialTemplate", "spec", "template", "spec");
    assertThat(at(spec, "trialTemplate").getRequired()).contains("spec");
    assertThat(at(spec, "trialTemplate", "spec").getRequired()).contains("template");
    assertThat(at(spec, "trialTemplate", "spec", "template").getRequired()).contains("spec");
    assertThat(podSpec.getRequired()).contains("containers");
    assertThat(at(podSpec, "containers").getMinItems()).isEqualTo(1L);
    assertThat(at(podSpec, "restartPolicy").getEnum())
        .extracting(Object::toString)
        .containsExactlyInAnyOrder("\"Never\"", "\"OnFailure\"");
    assertThat(at(spec, "trialTemplate").getXKubernetesPreserveUnknownFields()).isNull();
    assertThat(at(spec, "trialTemplate", "spec").getXKubernetesPreserveUnknownFields()).isTrue();
  }

  @Test
  @DisplayName("10. leaderboardSize 1 to 50; cleanup.finishedJobs Delete or Keep")
  void leaderboardAndCleanup() {
    assertThat(at(spec, "leaderboardSize").getMinimum()).isEqualTo(1.0);
    assertThat(at(spec, "leaderboardSize").getMaximum()).isEqualTo(50.0);
    assertThat(at(spec, "leaderboardSize").getDefault().asInt()).isEqualTo(5);
    assertThat(at(spec, "cleanup", "finishedJobs").getEnum())
        .extracting(Object::toString)
        .containsExactlyInAnyOrder("\"Delete\"", "\"Keep\"");
  }

  @Test
  @DisplayName("11. parameters, objective, trialTemplate and queueName are immutable")
  void immutable() {
    for (String field : List.of("parameters", "objective", "trialTemplate", "queueName")) {
      ValidationRule r = rule(spec, "spec." + field + " is immutable");
      assertThat(r.getRule()).contains("oldSelf." + field);
      assertThat(r.getFieldPath()).isEqualTo("." + field);
    }
  }

  @Test
  @DisplayName(
      "printer columns: Phase, Progress, Best, Age, and with -o wide Metric, Running, Failed, Reason; short name gs")
  void printerColumns() throws IOException {
    CustomResourceDefinition crd =
        new KubernetesSerialization()
            .unmarshal(Files.readString(RepoFiles.generatedCrd()), CustomResourceDefinition.class);
    assertThat(crd.getSpec().getVersions().get(0).getAdditionalPrinterColumns())
        .extracting(c -> c.getName() + "=" + c.getJsonPath())
        .containsExactly(
            "Phase=.status.phase",
            "Progress=.status.progress",
            "Best=.status.best.value",
            "Age=.metadata.creationTimestamp",
            "Metric=.spec.objective.metric",
            "Running=.status.trials.running",
            "Failed=.status.trials.failed",
            "Reason=.status.conditions[?(@.type==\"Ready\")].reason");
    assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("gs");
    assertThat(crd.getSpec().getVersions().get(0).getSubresources().getStatus()).isNotNull();
  }

  @Test
  @DisplayName("12. metadata.name at most 52 characters")
  void nameLength() {
    assertThat(rules(root)).contains("self.metadata.name.size() <= 52");
  }
}
