package dev.gridsearch.cli;

import dev.gridsearch.cli.report.HtmlReport;
import dev.gridsearch.cli.report.ReportData;
import dev.gridsearch.cli.source.TrialRecords;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** One self-contained HTML file about a search: open it anywhere, no network needed. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "Writes one self-contained HTML file (inline SVG and script, no network): a summary, the"
          + " leaderboard, heatmaps of the most important parameter pairs, parallel coordinates,"
          + " the metric's distribution, each parameter's importance and marginal effect, a trial"
          + " timeline (starts, finishes, concurrency, best so far) and the failures with reasons."
    },
    footer = {"", "Example:", "  kubectl gridsearch report quickstart -o quickstart.html"})
final class ReportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin KubeOptions kube;

  @Parameters(index = "0", paramLabel = "NAME", description = "The GridSearch.")
  String name;

  @Option(
      names = {"-o", "--output"},
      required = true,
      paramLabel = "FILE.html",
      description = "Where to write the report (- for standard output).")
  String output;

  private final Cli cli;

  ReportCommand(Cli cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() throws Exception {
    Cli.Loaded search = cli.load(kube, name);
    ReportData data = new ReportData(search.info());
    var pass = new TrialRecords(search.source()).forEach(search.gs(), data, data::acceptPoint);
    String html = new HtmlReport(search.gs(), data, cli.clock().instant()).render();
    if (output.equals("-")) {
      spec.commandLine().getOut().print(html);
      spec.commandLine().getOut().flush();
    } else {
      Files.writeString(Path.of(output), html, StandardCharsets.UTF_8);
      spec.commandLine()
          .getErr()
          .println(
              "wrote "
                  + output
                  + " ("
                  + pass.records()
                  + " trial records, "
                  + html.length() / 1024
                  + " KiB)");
    }
    return 0;
  }
}
