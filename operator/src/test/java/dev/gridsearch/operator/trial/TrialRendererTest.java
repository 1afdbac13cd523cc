package dev.gridsearch.operator.trial;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridsearch.operator.api.GridSearch;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.HashSet;
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

  private static final String BAD_PLACEHOLDERS = """
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
    assertThat(renderer(parse(BAD_PLACEHOLDERS)).placeholderErrors()).containsExactly(
        "spec.trialTemplate.metadata.annotations.a: unknown placeholder ${trial.idx} (known: ${params.<name>},"
            + " ${trial.index}, ${trial.name}, ${trial.seed}, ${gridsearch.name})",
        "spec.trialTemplate.spec.template.spec.containers[0].args[1]: unknown placeholder ${params.momentum}:"
            + " parameter \"momentum\" is not declared (declared: lr, depth)",
        "spec.trialTemplate.spec.template.spec.containers[0].env[0].value: unknown placeholder"
            + " ${gridsearch.namespace} (known: ${params.<name>}, ${trial.index}, ${trial.name}, ${trial.seed},"
            + " ${gridsearch.name})");
  }

  @Test
  void validTemplateHasNoErrorsAndRenderingDoesNotMutateTheSpec() {
    GridSearch gs = parse(BAD_PLACEHOLDERS.replace("${trial.idx}", "${trial.index}")
        .replace("${params.momentum}", "${params.depth}").replace("${gridsearch.namespace}", "${trial.name}"));
    TrialRenderer renderer = renderer(gs);
    assertThat(renderer.placeholderErrors()).isEmpty();
    Job first = renderer.render(1);
    assertThat(first.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
        .containsExactly("--lr=0.1", "--m=2 0.1");
    assertThat(renderer.render(0).getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
        .containsExactly("--lr=0.1", "--m=1 0.1");
    assertThat(gs.getSpec().trialTemplate().spec().at("/template/spec/containers/0/args").toString())
        .isEqualTo("[\"--lr=${params.lr}\",\"--m=${params.depth} ${params.lr}\"]");
    assertThat(renderer.render(1)).isEqualTo(first);
  }

  @Test
  void jobNamesAreDeterministicUniqueAndFitALabel() {
    String longName = "x".repeat(52);
    Set<String> names = new HashSet<>();
    LongStream.of(0, 9, 10, 99_999_999_999L, 1_000_000_000_000L, Long.MAX_VALUE).forEach(i -> {
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
  void seedsAreDeterministicAndInRange() {
    Set<Integer> seeds = new HashSet<>();
    for (long i = 0; i < 1000; i++) {
      int seed = TrialNames.seed("sweep", i);
      assertThat(seed).isBetween(0, Integer.MAX_VALUE).isEqualTo(TrialNames.seed("sweep", i));
      seeds.add(seed);
    }
    assertThat(seeds).hasSizeGreaterThan(990);
    assertThat(TrialNames.seed("sweep", 1)).isNotEqualTo(TrialNames.seed("other", 1));
  }
}
