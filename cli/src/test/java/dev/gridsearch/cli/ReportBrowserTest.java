package dev.gridsearch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gridsearch.operator.Tools;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The report in a real browser: headless Chromium (Debian's package) through Python Playwright,
 * both installed by hack/test-tools.sh. No console errors, no network request but the file, a cell
 * per grid cell, the charts drawn, a tooltip on hover, a sort on click; the screenshot is kept in
 * target/report-browser/ as an artifact. A missing browser or Playwright fails the test.
 */
class ReportBrowserTest {
  static final Path OUT = Path.of("target/report-browser");

  static Stream<Arguments> reports() {
    Supplier<FixtureSource> sweep = Fixtures::sweep;
    Supplier<FixtureSource> pair = Fixtures::pair;
    Supplier<FixtureSource> cv = Fixtures::cv;
    return Stream.of(
        Arguments.of("sweep", sweep), Arguments.of("pair", pair), Arguments.of("cv", cv));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("reports")
  void theReportDrawsInChromiumWithoutErrors(String name, Supplier<FixtureSource> fixture)
      throws Exception {
    Files.createDirectories(OUT);
    Path html = OUT.resolve(name + ".html").toAbsolutePath();
    Path png = OUT.resolve(name + ".png").toAbsolutePath();
    FixtureSource source = fixture.get();
    Cli cli = new Cli(o -> source, Clock.fixed(Fixtures.NOW, ZoneOffset.UTC), false, Map.of());
    StringWriter err = new StringWriter();
    int code =
        Main.run(
            cli,
            new PrintWriter(new StringWriter()),
            new PrintWriter(err),
            "report",
            name,
            "-o",
            html.toString());
    assertThat(code).as(err.toString()).isZero();

    assertThat(Path.of("/usr/bin/chromium"))
        .as("Debian's chromium (hack/test-tools.sh installs it)")
        .isExecutable();
    Tools.Result run =
        Tools.run(
            "python",
            null,
            Path.of("src/test/browser/check_report.py").toAbsolutePath().toString(),
            html.toString(),
            png.toString());
    assertThat(run.exitCode()).as(run.output()).isZero();
    String json = run.output().lines().reduce((a, b) -> b).orElse("{}");
    JsonNode found = new ObjectMapper().readTree(json);
    System.out.println("[report-browser] " + name + ": " + json);

    assertThat(found.get("console")).as("console errors and warnings").isEmpty();
    assertThat(found.get("requests")).hasSize(1);
    assertThat(found.get("requests").get(0).asText()).isEqualTo("file://" + html);
    assertThat(found.get("title").asText()).isEqualTo("GridSearch " + name);
    List<String> sections =
        new java.util.ArrayList<>(
            List.of(
                "summary",
                "leaderboard",
                "heatmaps",
                "parallel",
                "distribution",
                "importance",
                "timeline",
                "failures"));
    if (name.equals("cv")) {
      sections.add(2, "variance");
    }
    assertThat(texts(found.get("sections"))).isEqualTo(sections);

    JsonNode counts = found.get("counts");
    JsonNode heatmaps = found.get("heatmaps");
    if (name.equals("cv")) {
      // Repeats and folds: the heatmap's cells are the 3 × 2 points, point 1 (Failed) empty.
      assertThat(heatmaps).hasSize(1);
      assertThat(heatmaps.get(0).get("cells").asInt()).isEqualTo(6);
      assertThat(heatmaps.get(0).get("empty").asInt()).isEqualTo(1);
      assertThat(counts.get("leaderboardRows").asInt()).isEqualTo(5);
      assertThat(counts.get("varianceRows").asInt()).isEqualTo(5);
      assertThat(counts.get("splitDots").asInt()).isEqualTo(30);
      // Parallel coordinates, distribution and marginals count the 5 ranked points, not trials.
      assertThat(counts.get("parallelLines").asInt()).isEqualTo(5);
      assertThat(counts.get("failureRows").asInt()).isEqualTo(1);
    } else if (name.equals("pair")) {
      // A 2-parameter grid: its one heatmap has a cell per grid cell, the 4 not yet run empty.
      assertThat(heatmaps).hasSize(1);
      assertThat(heatmaps.get(0).get("cells").asInt()).isEqualTo(12);
      assertThat(heatmaps.get(0).get("empty").asInt()).isEqualTo(4);
      assertThat(counts.get("parallelLines").asInt()).isEqualTo(8);
      assertThat(counts.get("failureRows").asInt()).isZero();
    } else {
      // 3 parameters: the three pairs, each |x| × |y| cells.
      assertThat(heatmaps).hasSize(3);
      Map<String, Integer> sizes = Map.of("a", 3, "b", 4, "c", 2);
      for (JsonNode h : heatmaps) {
        assertThat(h.get("cells").asInt())
            .as(h.toString())
            .isEqualTo(sizes.get(h.get("x").asText()) * sizes.get(h.get("y").asText()));
      }
      assertThat(counts.get("parallelLines").asInt()).isEqualTo(21);
      assertThat(counts.get("failureRows").asInt()).isEqualTo(3);
      assertThat(counts.get("importanceBars").asInt()).isEqualTo(3);
    }
    assertThat(counts.get("leaderboardRows").asInt()).isPositive();
    assertThat(counts.get("histogramBars").asInt()).isPositive();
    assertThat(counts.get("timelines").asInt()).isEqualTo(3);
    assertThat(found.get("tooltipVisible").asBoolean()).isTrue();
    assertThat(found.get("tooltip").asText()).contains("=");
    // A click on the trial (or point) column sorts the leaderboard by it.
    List<Integer> sorted =
        texts(found.get("trialsAfterSort")).stream().map(Integer::parseInt).toList();
    assertThat(sorted).isSorted().hasSize(counts.get("leaderboardRows").asInt());
    assertThat(png).isNotEmptyFile();
  }

  private static List<String> texts(JsonNode array) {
    return Stream.iterate(0, i -> i < array.size(), i -> i + 1)
        .map(i -> array.get(i).asText())
        .toList();
  }
}
