package dev.gridsearch.operator.trial;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridsearch.operator.api.GridSearch;
import dev.gridsearch.operator.grid.Assignment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRule;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class TrialRendererTest {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private static GridSearch parse(String yaml) {
    return SERIALIZATION.unmarshal(yaml, GridSearch.class);
  }

  private static TrialRenderer renderer(GridSearch gs) {
    return new TrialRenderer(gs, SpecGrid.of(gs.getSpec().parameters()), SERIALIZATION);
  }

  private static final String BAD_PLACEHOLDERS =
      """
      apiVersion: gridsearch.dev/v1alpha1
      kind: GridSearch
      metadata: {name: bad, namespace: ns, uid: u-1}
      spec:
        parameters:
          - {name: lr, values: [0.1]}
          - {name: depth, values: [1, 2]}
        objective: {metric: acc, goal: Maximize}
        trialTemplate:
          metadata:
            annotations: {a: "${trial.idx}"}
          spec:
            template:
              spec:
                containers:
                  - name: c
                    image: i
                    args: ["--lr=${params.lr}", "--m=${params.momentum} ${params.lr}"]
                    env: [{name: X, value: "${gridsearch.namespace}"}]
      """;

  @Test
  void unknownPlaceholdersAreListedWithWhereTheyWereFound() {
    assertThat(renderer(parse(BAD_PLACEHOLDERS)).placeholderErrors())
        .containsExactly(
            "spec.trialTemplate.metadata.annotations.a: unknown placeholder ${trial.idx} (known: ${params.<name>},"
                + " ${trial.index}, ${trial.name}, ${trial.seed}, ${trial.point}, ${trial.repeat}, ${trial.repeats},"
                + " ${trial.fold}, ${trial.folds}, ${gridsearch.name})",
            "spec.trialTemplate.spec.template.spec.containers[0].args[1]: unknown placeholder ${params.momentum}:"
                + " parameter \"momentum\" is not declared (declared: lr, depth)",
            "spec.trialTemplate.spec.template.spec.containers[0].env[0].value: unknown placeholder"
                + " ${gridsearch.namespace} (known: ${params.<name>}, ${trial.index}, ${trial.name}, ${trial.seed},"
                + " ${trial.point}, ${trial.repeat}, ${trial.repeats}, ${trial.fold}, ${trial.folds},"
                + " ${gridsearch.name})");
  }

  @Test
  void validTemplateHasNoErrorsAndRenderingDoesNotMutateTheSpec() {
    GridSearch gs =
        parse(
            BAD_PLACEHOLDERS
                .replace("${trial.idx}", "${trial.index}")
                .replace("${params.momentum}", "${params.depth}")
                .replace("${gridsearch.namespace}", "${trial.name}"));
    TrialRenderer renderer = renderer(gs);
    assertThat(renderer.placeholderErrors()).isEmpty();
    Job first = renderer.render(1);
    assertThat(first.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
        .containsExactly("--lr=0.1", "--m=2 0.1");
    assertThat(
            renderer.render(0).getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
        .containsExactly("--lr=0.1", "--m=1 0.1");
    assertThat(
            gs.getSpec().trialTemplate().spec().at("/template/spec/containers/0/args").toString())
        .isEqualTo("[\"--lr=${params.lr}\",\"--m=${params.depth} ${params.lr}\"]");
    assertThat(renderer.render(1)).isEqualTo(first);
  }

  @Test
  void jobNamesAreDeterministicUniqueAndFitALabel() {
    String longName = "x".repeat(52);
    Set<String> names = new HashSet<>();
    LongStream.of(0, 9, 10, 99_999_999_999L, 1_000_000_000_000L, Long.MAX_VALUE)
        .forEach(
            i -> {
              String n = TrialNames.jobName(longName, i);
              assertThat(n.length()).isLessThanOrEqualTo(63);
              assertThat(n).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?").endsWith("-" + i);
              assertThat(TrialNames.jobName(longName, i)).isEqualTo(n);
              names.add(n);
            });
    assertThat(names).hasSize(6);
    assertThat(TrialNames.jobName("sweep", 17)).isEqualTo("sweep-17");
    assertThat(TrialNames.jobName(longName, 1_000_000_000_000L))
        .isNotEqualTo(TrialNames.jobName("x".repeat(51) + "y", 1_000_000_000_000L));
  }

  @Test
  void seedsAreDeterministicInRangeAndFreeOfTheSearchName() {
    Set<Integer> seeds = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      Assignment point = new Assignment(List.of("lr", "depth"), List.of("0." + i, "3"));
      int seed = TrialNames.seed(point, i % 3);
      assertThat(seed).isBetween(0, Integer.MAX_VALUE).isEqualTo(TrialNames.seed(point, i % 3));
      seeds.add(seed);
    }
    assertThat(seeds).hasSizeGreaterThan(990);
    Assignment a = new Assignment(List.of("lr", "depth"), List.of("0.1", "3"));
    // The order parameters are written in does not change the point, so not its seed either.
    assertThat(TrialNames.seed(new Assignment(List.of("depth", "lr"), List.of("3", "0.1")), 0))
        .isEqualTo(TrialNames.seed(a, 0));
    assertThat(TrialNames.seed(a, 1)).isNotEqualTo(TrialNames.seed(a, 0));
  }

  /**
   * A one-trial search whose template spec is {@code jobSpec} (indented YAML under
   * trialTemplate.spec).
   */
  private static Job renderWith(String jobSpec) {
    String yaml =
        """
        apiVersion: gridsearch.dev/v1alpha1
        kind: GridSearch
        metadata: {name: d, namespace: ns, uid: u-1}
        spec:
          parameters:
            - {name: lr, values: [0.1]}
          objective: {metric: acc, goal: Maximize}
          trialTemplate:
            spec:
        %s
        """
            .formatted(jobSpec.indent(6).stripTrailing());
    return renderer(parse(yaml)).render(0);
  }

  private static final String POD_NEVER =
      """
      template:
        spec:
          restartPolicy: Never
          containers: [{name: c, image: i}]
      """;

  private static List<String> rules(Job job) {
    return job.getSpec().getPodFailurePolicy().getRules().stream()
        .map(TrialRendererTest::describe)
        .toList();
  }

  private static String describe(PodFailurePolicyRule rule) {
    if (!rule.getOnPodConditions().isEmpty()) {
      return rule.getAction()
          + " "
          + rule.getOnPodConditions().stream().map(c -> c.getType() + "=" + c.getStatus()).toList();
    }
    return rule.getAction()
        + " exit "
        + rule.getOnExitCodes().getOperator()
        + " "
        + rule.getOnExitCodes().getValues();
  }

  @Test
  void withRestartPolicyNeverDisruptedPodsAreIgnoredByTheJob() {
    assertThat(rules(renderWith(POD_NEVER))).containsExactly("Ignore [DisruptionTarget=True]");
  }

  @Test
  void withRestartPolicyOnFailureNoPolicyIsAdded() {
    // The API server refuses podFailurePolicy unless restartPolicy is Never.
    assertThat(renderWith(POD_NEVER.replace("Never", "OnFailure")).getSpec().getPodFailurePolicy())
        .isNull();
  }

  @Test
  void theOperatorsRuleGoesBeforeTheTemplatesExitCodeRules() {
    Job job =
        renderWith(
            """
        podFailurePolicy:
          rules:
            - {action: FailJob, onExitCodes: {operator: In, values: [42]}}
            - {action: Count, onExitCodes: {operator: NotIn, values: [0]}}
        """
                + POD_NEVER);
    assertThat(rules(job))
        .containsExactly(
            "Ignore [DisruptionTarget=True]", "FailJob exit In [42]", "Count exit NotIn [0]");
  }

  @Test
  void aTemplateThatSaysWhatADisruptionDoesIsKeptAsWritten() {
    Job job =
        renderWith(
            """
        podFailurePolicy:
          rules:
            - {action: FailJob, onExitCodes: {operator: In, values: [42]}}
            - {action: Count, onPodConditions: [{type: DisruptionTarget, status: "True"}]}
        """
                + POD_NEVER);
    assertThat(rules(job)).containsExactly("FailJob exit In [42]", "Count [DisruptionTarget=True]");
  }

  @Test
  void aTemplateWithTheMaximumOfRulesIsKeptAsWritten() {
    StringBuilder spec = new StringBuilder("podFailurePolicy:\n  rules:\n");
    for (int code = 1; code <= TrialRenderer.MAX_POD_FAILURE_RULES; code++) {
      spec.append("    - {action: FailJob, onExitCodes: {operator: In, values: [")
          .append(code)
          .append("]}}\n");
    }
    Job job = renderWith(spec + POD_NEVER);
    assertThat(rules(job))
        .hasSize(TrialRenderer.MAX_POD_FAILURE_RULES)
        .first()
        .isEqualTo("FailJob exit In [1]");
    assertThat(rules(renderWith(spec.substring(0, spec.lastIndexOf("    - ")) + POD_NEVER)))
        .hasSize(TrialRenderer.MAX_POD_FAILURE_RULES)
        .first()
        .isEqualTo("Ignore [DisruptionTarget=True]");
  }

  @Test
  void renderingTwiceDoesNotPrependTwice() {
    TrialRenderer renderer =
        renderer(
            parse(
                """
        apiVersion: gridsearch.dev/v1alpha1
        kind: GridSearch
        metadata: {name: d, namespace: ns, uid: u-1}
        spec:
          parameters:
            - {name: lr, values: [0.1, 0.2]}
          objective: {metric: acc, goal: Maximize}
          trialTemplate:
            spec:
              podFailurePolicy:
                rules: [{action: FailJob, onExitCodes: {operator: In, values: [42]}}]
              template:
                spec:
                  restartPolicy: Never
                  containers: [{name: c, image: i}]
        """));
    renderer.render(0);
    assertThat(rules(renderer.render(1)))
        .containsExactly("Ignore [DisruptionTarget=True]", "FailJob exit In [42]");
  }
}
