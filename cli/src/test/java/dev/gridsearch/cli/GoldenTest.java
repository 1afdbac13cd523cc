package dev.gridsearch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every output format against a golden file under src/test/resources/golden: the command line, its
 * exit code, its standard output and its standard error. Regenerate with -Dgolden.update=true and
 * review the diff.
 */
class GoldenTest {
  static final Path GOLDEN = Path.of("src/test/resources/golden");

  static Stream<Arguments> cases() {
    Supplier<FixtureSource> sweep = Fixtures::sweep;
    Supplier<FixtureSource> pair = Fixtures::pair;
    Supplier<FixtureSource> cv = Fixtures::cv;
    Supplier<FixtureSource> both =
        () -> {
          FixtureSource s = Fixtures.sweep();
          s.add(Fixtures.pair().get("pair"));
          return s;
        };
    return Stream.of(
        c("list", both, false, "list"),
        c("list-all-namespaces", both, false, "list", "-A"),
        c("results-table", sweep, false, "results", "sweep"),
        c("results-csv", sweep, false, "results", "sweep", "-o", "csv"),
        c("results-jsonl", sweep, false, "results", "sweep", "-o", "jsonl"),
        c("results-json", sweep, false, "results", "sweep", "-o", "json", "--top", "3"),
        c("results-top", sweep, false, "results", "sweep", "--top", "5"),
        c("results-sort-loss", sweep, false, "results", "sweep", "--sort", "loss", "--top", "4"),
        c("results-sort-b-csv", sweep, false, "results", "sweep", "--sort", "b", "-o", "csv"),
        c("results-failed", sweep, false, "results", "sweep", "--state", "failed,MetricsMissing"),
        c("results-minimize-top", pair, false, "results", "pair", "--top", "3"),
        c("results-bad-state", sweep, false, "results", "sweep", "--state", "Done"),
        c("results-missing", sweep, false, "results", "nope"),
        c("best-json", sweep, false, "best", "sweep"),
        c("best-env", sweep, false, "best", "sweep", "-o", "env", "--prefix", "PARAM_"),
        c("best-args", sweep, false, "best", "sweep", "-o", "args"),
        c("heatmap-plain", sweep, false, "heatmap", "sweep", "--x", "b", "--y", "a"),
        c(
            "heatmap-mean",
            sweep,
            false,
            "heatmap",
            "sweep",
            "--x",
            "c",
            "--y",
            "b",
            "--reduce",
            "mean"),
        c("heatmap-loss-min", pair, false, "heatmap", "pair", "--x", "depth", "--y", "lr"),
        c("heatmap-tty", sweep, true, "heatmap", "sweep", "--x", "b", "--y", "a"),
        c("heatmap-bad-param", sweep, false, "heatmap", "sweep", "--x", "b", "--y", "z"),
        c("logs-gone", sweep, false, "logs", "sweep", "--trial", "2"),
        c("logs-live", sweep, false, "logs", "sweep", "--trial", "23"),
        c("watch-finished", sweep, false, "watch", "sweep"),
        c("complete-verbs", sweep, false, "__complete", ""),
        c("complete-names", sweep, false, "__complete", "heatmap", ""),
        c("complete-params", sweep, false, "__complete", "heatmap", "sweep", "--x", ""),
        c("complete-formats", sweep, false, "__complete", "results", "sweep", "-o", ""),
        c("points-table", cv, false, "results", "cv"),
        c("points-top", cv, false, "results", "cv", "--top", "3"),
        c("points-csv", cv, false, "results", "cv", "-o", "csv"),
        c("points-jsonl", cv, false, "results", "cv", "-o", "jsonl", "--state", "failed"),
        c("points-trials", cv, false, "results", "cv", "--trials", "--top", "4"),
        c("points-best", cv, false, "best", "cv"),
        c("points-heatmap", cv, false, "heatmap", "cv", "--x", "gamma", "--y", "C"),
        c("help", sweep, false, "--help"),
        c("results-help", sweep, false, "results", "--help"));
  }

  private static Arguments c(
      String name, Supplier<FixtureSource> source, boolean tty, String... args) {
    return Arguments.of(name, source, tty, args);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void matchesItsGoldenFile(String name, Supplier<FixtureSource> source, boolean tty, String[] args)
      throws IOException {
    String actual = run(source.get(), tty, Map.of("COLORTERM", ""), args);
    Path file = GOLDEN.resolve(name + ".txt");
    if (Boolean.getBoolean("golden.update")) {
      Files.createDirectories(GOLDEN);
      Files.writeString(file, actual, StandardCharsets.UTF_8);
    }
    assertThat(file).as("golden file (regenerate with -Dgolden.update=true)").exists();
    assertThat(actual).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
  }

  @ParameterizedTest(name = "report-{0}")
  @org.junit.jupiter.params.provider.ValueSource(strings = {"sweep", "pair", "cv"})
  void theReportMatchesItsGoldenFile(String name) throws IOException {
    FixtureSource source =
        switch (name) {
          case "sweep" -> Fixtures.sweep();
          case "pair" -> Fixtures.pair();
          default -> Fixtures.cv();
        };
    StringWriter out = new StringWriter();
    Cli cli = new Cli(o -> source, Clock.fixed(Fixtures.NOW, ZoneOffset.UTC), false, Map.of());
    int code =
        Main.run(
            cli,
            new PrintWriter(out),
            new PrintWriter(new StringWriter()),
            "report",
            name,
            "-o",
            "-");
    assertThat(code).isZero();
    Path file = GOLDEN.resolve("report-" + name + ".html");
    if (Boolean.getBoolean("golden.update")) {
      Files.writeString(file, out.toString(), StandardCharsets.UTF_8);
    }
    assertThat(out.toString()).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
  }

  static String run(FixtureSource source, boolean tty, Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Cli cli = new Cli(o -> source, Clock.fixed(Fixtures.NOW, ZoneOffset.UTC), tty, env);
    int code = Main.run(cli, new PrintWriter(out), new PrintWriter(err), args);
    StringBuilder b = new StringBuilder();
    b.append("$ kubectl gridsearch ").append(String.join(" ", args)).append("\n");
    b.append(out);
    if (!err.toString().isEmpty()) {
      b.append("--- stderr\n").append(err);
    }
    b.append("--- exit ").append(code).append("\n");
    return b.toString();
  }
}
