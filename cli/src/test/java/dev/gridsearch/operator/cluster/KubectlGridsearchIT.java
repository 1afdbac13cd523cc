package dev.gridsearch.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridsearch.operator.RepoFiles;
import dev.gridsearch.operator.api.GridSearch;
import dev.gridsearch.operator.api.GridSearchStatus.Phase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The plugin as a user runs it: installed as make install-cli installs it (the launcher, the jar,
 * lib/), found by the real kubectl on PATH, against a search the packaged operator ran to the end
 * on the local control plane (kwok trials reporting GridSearchIT's acc = 0.abc).
 */
@ExtendWith(ClusterExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KubectlGridsearchIT {
  private final ClusterNamespace ns;
  private final Searches searches;
  private OperatorProcess operator;
  private Path home;
  private Path bin;

  KubectlGridsearchIT(ClusterNamespace ns) {
    this.ns = ns;
    this.searches = new Searches(ns);
  }

  @BeforeAll
  void runASearch() throws Exception {
    home = Files.createTempDirectory("kubectl-gridsearch-it-");
    bin = install();
    operator =
        OperatorProcess.packaged(
                ns, List.of("-Xmx256m", "-XX:+UseSerialGC"), Map.of(), UnaryOperator.identity())
            .start();
    searches.apply(
        GridSearchIT.sweep(
            "sweep",
            "parallelism: 6",
            "{\"acc\": 0.${params.a}${params.b}${params.c}, \"loss\": ${params.c}}"));
    GridSearch done = searches.awaitFinished("sweep", Duration.ofMinutes(3));
    assertThat(done.getStatus().phase()).isEqualTo(Phase.Succeeded);
  }

  @AfterAll
  void stopOperator() throws Exception {
    if (operator != null) {
      operator.close();
    }
  }

  /** make install-cli's layout, into a temporary PREFIX (hack/install-cli.sh itself). */
  private Path install() throws Exception {
    Path root = RepoFiles.root();
    ProcessBuilder pb =
        new ProcessBuilder(root.resolve("hack/install-cli.sh").toString())
            .redirectErrorStream(true)
            .directory(root.toFile());
    pb.environment().put("PREFIX", home.resolve("prefix").toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return home.resolve("prefix/bin");
  }

  private Result kubectl(String... args) throws Exception {
    String binDir = TestCluster.script("bin-dir").output().strip();
    List<String> command = new ArrayList<>(List.of(Path.of(binDir, "kubectl").toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("KUBECONFIG", ns.cluster().kubeconfig().toString());
    pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    Path err = Files.createTempFile(home, "err", ".txt");
    pb.redirectError(err.toFile());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), out, Files.readString(err));
  }

  record Result(int code, String out, String err) {}

  @Test
  void kubectlFindsThePluginAndListsTheSearch() throws Exception {
    Result r = kubectl("plugin", "list");
    assertThat(r.out()).contains("kubectl-gridsearch");
    Result list = kubectl("gridsearch", "list", "-n", ns.name());
    assertThat(list.code()).as(list.err()).isZero();
    assertThat(list.out().lines().toList().get(1))
        .startsWith("sweep")
        .contains("Succeeded", "24/24", "0.395", "acc (Maximize)");
  }

  @Test
  void resultsExportEveryTrialAsCsv() throws Exception {
    Result csv = kubectl("gridsearch", "results", "sweep", "-n", ns.name(), "-o", "csv");
    assertThat(csv.code()).as(csv.err()).isZero();
    List<String> lines = csv.out().lines().toList();
    assertThat(lines.get(0)).isEqualTo("trial,a,b,c,acc,loss,state,duration_seconds,reason");
    assertThat(lines).hasSize(25);
    assertThat(lines).anyMatch(l -> l.startsWith("18,3,9,5,0.395,5,Succeeded,"));
    Result top = kubectl("gridsearch", "results", "sweep", "-n", ns.name(), "--top", "1");
    assertThat(top.out().lines().toList().get(1)).startsWith("18 ").contains("0.395");
  }

  @Test
  void bestPrintsTheParametersForAPipeline() throws Exception {
    Result args = kubectl("gridsearch", "best", "sweep", "-n", ns.name(), "-o", "args");
    assertThat(args.code()).as(args.err()).isZero();
    assertThat(args.out().strip()).isEqualTo("--a=3 --b=9 --c=5");
  }

  @Test
  void heatmapAndReportReadTheRecords() throws Exception {
    Result h = kubectl("gridsearch", "heatmap", "sweep", "-n", ns.name(), "--x", "b", "--y", "a");
    assertThat(h.code()).as(h.err()).isZero();
    assertThat(h.out()).contains("a=3", "0.395*").doesNotContain("\u001b[");
    Path html = home.resolve("sweep.html");
    Result report =
        kubectl("gridsearch", "report", "sweep", "-n", ns.name(), "-o", html.toString());
    assertThat(report.code()).as(report.err()).isZero();
    String text = Files.readString(html);
    assertThat(text).contains("<svg class=\"heatmap\"").doesNotContain("http://", "https://");
    assertThat(text.split("class=\"cell", -1).length - 1).isEqualTo(12 + 6 + 8);
  }

  @Test
  void watchEndsAtOnceOnAFinishedSearchAndLogsSayWhenThePodIsGone() throws Exception {
    Result w = kubectl("gridsearch", "watch", "sweep", "-n", ns.name());
    assertThat(w.code()).as(w.err()).isZero();
    assertThat(w.out()).contains("24/24 100% Succeeded");
    // Finished Jobs (and their pods) are deleted once recorded, except the best trial's.
    Result gone = kubectl("gridsearch", "logs", "sweep", "-n", ns.name(), "--trial", "0");
    assertThat(gone.code()).isEqualTo(1);
    assertThat(gone.err()).contains("is gone");
    Result missing = kubectl("gridsearch", "results", "nope", "-n", ns.name());
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.err()).contains("gridsearch \"nope\" not found in namespace");
  }

  @Test
  void kubectlCompletesVerbsAndSearchNames() throws Exception {
    Path complete = bin.resolve("kubectl_complete-gridsearch");
    ProcessBuilder pb = new ProcessBuilder(complete.toString(), "results", "-n", ns.name(), "");
    pb.environment().put("KUBECONFIG", ns.cluster().kubeconfig().toString());
    Process p = pb.redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(out.lines()).containsExactly("sweep", ":4");
  }
}
