package dev.gridsearch.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridsearch.operator.RepoFiles;
import dev.gridsearch.operator.Tools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The krew packaging as krew reads it: make krew-archive's manifest passes krew's own validator,
 * krew 0.4.3 installs the archive into a fresh KREW_ROOT, and the real kubectl finds and runs the
 * plugin through krew's symlink. No cluster: kubectl only runs the plugin's --version.
 */
class KrewIT {
  @Test
  void krewValidatesAndInstallsTheArchiveAndKubectlRunsThePlugin() throws Exception {
    Path root = RepoFiles.root();
    Path manifest = root.resolve("cli/target/gridsearch.yaml");
    Path archive = root.resolve("cli/target/kubectl-gridsearch.tar.gz");
    Result packed = run(root, Map.of(), root.resolve("hack/krew-archive.sh").toString());
    assertThat(packed.exitCode()).as(packed.output()).isZero();
    assertThat(Files.readString(manifest)).doesNotContain("sha256: 0000");

    // The structure krew-index's CI checks; installing from the uri needs the published release.
    Result valid =
        run(
            root,
            Map.of(),
            Tools.bin("validate-krew-manifest").toString(),
            "-manifest",
            manifest.toString(),
            "-skip-install");
    assertThat(valid.exitCode()).as(valid.output()).isZero();

    Path krewRoot = Files.createTempDirectory("krew-it-");
    Result install =
        run(
            root,
            Map.of("KREW_ROOT", krewRoot.toString()),
            Tools.bin("krew").toString(),
            "install",
            "--manifest=" + manifest,
            "--archive=" + archive);
    assertThat(install.exitCode()).as(install.output()).isZero();
    assertThat(install.output()).contains("Installed plugin: gridsearch");
    Path linked = krewRoot.resolve("bin/kubectl-gridsearch");
    assertThat(Files.isSymbolicLink(linked)).as(linked + " is krew's link").isTrue();

    // The launcher resolves krew's link to find its jar beside it in the store.
    String kubectl = Path.of(TestCluster.script("bin-dir").output().strip(), "kubectl").toString();
    Map<String, String> path =
        Map.of("PATH", krewRoot.resolve("bin") + ":" + System.getenv("PATH"));
    Result version = run(root, path, kubectl, "gridsearch", "--version");
    assertThat(version.exitCode()).as(version.output()).isZero();
    assertThat(version.output()).startsWith("kubectl-gridsearch ");
    Result plugins = run(root, path, kubectl, "plugin", "list");
    assertThat(plugins.output()).contains(linked.toString());

    // Krew links only the plugin itself: the completion helper, linked by hand as the README says,
    // completes the verbs through kubectl.
    Path store = linked.toRealPath().getParent();
    Files.createSymbolicLink(
        krewRoot.resolve("bin/kubectl_complete-gridsearch"),
        store.resolve("kubectl_complete-gridsearch"));
    Result complete = run(root, path, kubectl, "__complete", "gridsearch", "");
    assertThat(complete.exitCode()).as(complete.output()).isZero();
    assertThat(complete.output()).contains("results", "heatmap", "report");
  }

  private record Result(int exitCode, String output) {}

  private static Result run(Path dir, Map<String, String> env, String... command) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(List.of(command)).redirectErrorStream(true).directory(dir.toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(String.join(" ", command) + " did not finish:\n" + out);
    }
    return new Result(p.exitValue(), out);
  }
}
