package dev.gridsearch.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gridsearch.operator.RepoFiles;
import dev.gridsearch.operator.deploy.ChartRender;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * No Docker engine here: the Dockerfile is checked against what `mvn package` built (failsafe runs
 * after package), and the packaged jar is started the way the image's ENTRYPOINT starts it.
 */
@ExtendWith(ClusterExtension.class)
class ImageBuildIT {
  private static final Path ROOT = RepoFiles.root();
  private final ClusterNamespace ns;

  ImageBuildIT(ClusterNamespace ns) {
    this.ns = ns;
  }

  @Test
  void theDockerfileCopiesWhatThePackageBuilt() throws IOException {
    String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
    List<String> from = lines(dockerfile, "^FROM (\\S+)");
    assertThat(from)
        .hasSize(2)
        .allSatisfy(
            image -> assertThat(image).matches(".+:[^:]*\\d[^:]*").doesNotContain(":latest"));
    assertThat(lines(dockerfile, "^USER (\\S+)")).containsExactly("65532:65532");

    Matcher copy =
        Pattern.compile("(?m)^COPY --from=build /src/(\\S+) (\\S+)$").matcher(dockerfile);
    List<String> copied = new ArrayList<>();
    while (copy.find()) {
      assertThat(ROOT.resolve(copy.group(1))).as("the Dockerfile copies " + copy.group(1)).exists();
      copied.add(copy.group(1) + " -> " + copy.group(2));
    }
    // Dependencies first: their layer is reused while only the operator's jar changes.
    assertThat(copied)
        .containsExactly(
            "operator/target/lib/ -> /app/lib/",
            "operator/target/gridsearch-operator.jar -> /app/gridsearch-operator.jar");
    assertThat(dockerfile).contains("\"-jar\", \"/app/gridsearch-operator.jar\"");

    Path jar = ROOT.resolve("operator/target/gridsearch-operator.jar");
    Manifest manifest;
    try (JarFile file = new JarFile(jar.toFile())) {
      manifest = file.getManifest();
      assertThat(file.getEntry("dev/gridsearch/operator/Main.class")).isNotNull();
      assertThat(file.getEntry("log4j2.xml")).isNotNull();
    }
    assertThat(manifest.getMainAttributes().getValue("Main-Class"))
        .isEqualTo("dev.gridsearch.operator.Main");
    List<String> classPath =
        Arrays.asList(manifest.getMainAttributes().getValue("Class-Path").split(" "));
    try (Stream<Path> lib = Files.list(ROOT.resolve("operator/target/lib"))) {
      List<String> libs = lib.map(p -> "lib/" + p.getFileName()).toList();
      assertThat(classPath)
          .as("the manifest's Class-Path is exactly target/lib")
          .containsExactlyInAnyOrderElementsOf(libs);
      assertThat(libs)
          .noneMatch(l -> l.contains("junit") || l.contains("helm-java") || l.contains("assertj"));
    }
  }

  @Test
  void thePackagedJarStartsAsTheImageStartsItAndLogsJson() throws Exception {
    String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
    List<String> entrypoint =
        new ArrayList<>(
            Arrays.stream(lines(dockerfile, "^ENTRYPOINT \\[(.*)\\]").get(0).split(","))
                .map(s -> s.strip().replaceAll("^\"|\"$", ""))
                .toList());
    entrypoint.set(0, Path.of(System.getProperty("java.home"), "bin", "java").toString());
    entrypoint.set(
        entrypoint.size() - 1, ROOT.resolve("operator/target/gridsearch-operator.jar").toString());
    entrypoint.add(entrypoint.size() - 2, "-Xmx256m"); // before -jar: the test machine is small
    Path log = Files.createTempFile("image-entrypoint-", ".log");
    ProcessBuilder pb =
        new ProcessBuilder(entrypoint).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment()
        .putAll(
            Map.of(
                "KUBECONFIG",
                ns.cluster().kubeconfig().toString(),
                "GRIDSEARCH_WATCH_NAMESPACES",
                ns.name(),
                "GRIDSEARCH_HTTP_PORT",
                "0",
                "GRIDSEARCH_LOG_FORMAT",
                "json",
                "POD_NAMESPACE",
                ns.name(),
                "POD_NAME",
                "image-test"));
    Process p = pb.start();
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> Files.readString(log).contains("gridsearch-operator started"));
      List<String> lines = Files.readAllLines(log).stream().filter(l -> !l.isBlank()).toList();
      for (String line : lines) {
        @SuppressWarnings("unchecked")
        Map<String, Object> event = ChartRender.YAML.unmarshal(line, Map.class);
        assertThat(event).as(line).containsKeys("time", "level", "logger", "message");
      }
      assertThat(lines)
          .anySatisfy(l -> assertThat(l).contains("\"message\":\"gridsearch-operator started"));
    } finally {
      p.destroy();
      p.waitFor();
    }
  }

  private static List<String> lines(String text, String regex) {
    Matcher m = Pattern.compile("(?m)" + regex).matcher(text);
    List<String> out = new ArrayList<>();
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }
}
