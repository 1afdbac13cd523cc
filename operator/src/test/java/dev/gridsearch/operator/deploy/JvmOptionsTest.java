package dev.gridsearch.operator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridsearch.operator.RepoFiles;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The operator's JVM runs with the same options from the chart and from the image, and those
 * options bound every memory pool that the chart's limit has to hold (issue 17: the old ones let
 * heap and native memory pass it).
 */
class JvmOptionsTest {
  private static final String RELEASE = "gridsearch-operator";

  @Test
  void theChartRunsTheImagesEntrypoint() throws IOException {
    assertThat(command(Map.of())).isEqualTo(entrypoint());
  }

  @Test
  void everyMemoryPoolHasABound() {
    List<String> options = command(Map.of());
    assertThat(options)
        .anyMatch(o -> o.startsWith("-XX:MaxRAMPercentage=") || o.startsWith("-Xmx"))
        .anyMatch(o -> o.startsWith("-XX:MaxMetaspaceSize="))
        .anyMatch(o -> o.startsWith("-XX:MaxDirectMemorySize="))
        .anyMatch(o -> o.startsWith("-XX:ReservedCodeCacheSize="))
        .anyMatch(o -> o.startsWith("-Xss"))
        .contains("-XX:+ExitOnOutOfMemoryError");
  }

  @Test
  void jvmOptionsReplaceTheDefaults() {
    assertThat(command(Map.of("jvmOptions[0]", "-Xmx1g")))
        .containsExactly("java", "-Xmx1g", "-jar", "/app/gridsearch-operator.jar");
  }

  private static List<String> command(Map<String, String> values) {
    Container c =
        ChartRender.template(RELEASE, "gridsearch-system", values)
            .typed("Deployment", RELEASE, Deployment.class)
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0);
    return c.getCommand();
  }

  private static List<String> entrypoint() throws IOException {
    Matcher m =
        Pattern.compile("(?m)^ENTRYPOINT \\[(.*)\\]")
            .matcher(Files.readString(RepoFiles.root().resolve("Dockerfile")));
    assertThat(m.find()).as("the Dockerfile has an exec-form ENTRYPOINT").isTrue();
    return Arrays.stream(m.group(1).split(","))
        .map(s -> s.strip().replaceAll("^\"|\"$", ""))
        .toList();
  }
}
