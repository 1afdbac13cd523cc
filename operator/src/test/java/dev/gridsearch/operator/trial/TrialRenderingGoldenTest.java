package dev.gridsearch.operator.trial;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gridsearch.operator.api.GridSearch;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden files: {@code golden/<case>.in.yaml} (a GridSearch) renders to {@code
 * golden/<case>.out.yaml} (the Job of the trial named by the annotation {@value #INDEX_ANNOTATION},
 * default 0). Regenerate with -Dgolden.update=true and review the diff.
 */
class TrialRenderingGoldenTest {
  static final String INDEX_ANNOTATION = "test.gridsearch.dev/render-index";
  private static final Path DIR = Path.of("src/test/resources/golden");
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  static List<String> cases() throws IOException {
    try (Stream<Path> files = Files.list(DIR)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".in.yaml"))
          .map(n -> n.substring(0, n.length() - ".in.yaml".length()))
          .sorted()
          .toList();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void rendersAsGolden(String name) throws IOException {
    GridSearch gs =
        SERIALIZATION.unmarshal(Files.readString(DIR.resolve(name + ".in.yaml")), GridSearch.class);
    long index =
        Long.parseLong(
            gs.getMetadata().getAnnotations() == null
                ? "0"
                : gs.getMetadata().getAnnotations().getOrDefault(INDEX_ANNOTATION, "0"));
    TrialRenderer renderer =
        new TrialRenderer(gs, SpecGrid.of(gs.getSpec().parameters()), SERIALIZATION);
    assertThat(renderer.placeholderErrors()).isEmpty();
    Job job = renderer.render(index);
    String actual = SERIALIZATION.asYaml(job);
    Path expectedFile = DIR.resolve(name + ".out.yaml");
    if (Boolean.getBoolean("golden.update")) {
      Files.writeString(expectedFile, actual);
    }
    assertThat(expectedFile)
        .as("golden file missing: run with -Dgolden.update=true and review it")
        .exists();
    String expected = Files.readString(expectedFile);
    JsonNode expectedTree = SERIALIZATION.unmarshal(expected, JsonNode.class);
    JsonNode actualTree = SERIALIZATION.unmarshal(actual, JsonNode.class);
    assertThat(actual)
        .as("rendered Job for %s", name)
        .satisfies(a -> assertThat(actualTree).isEqualTo(expectedTree));
  }
}
