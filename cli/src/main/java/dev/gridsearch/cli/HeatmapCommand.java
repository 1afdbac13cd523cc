package dev.gridsearch.cli;

import dev.gridsearch.cli.source.TrialRecords;
import dev.gridsearch.cli.view.Heatmap;
import dev.gridsearch.cli.view.Reduce;
import dev.gridsearch.cli.view.SearchInfo;
import dev.gridsearch.cli.view.TerminalHeatmap;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** A metric over two parameters in the terminal, the other parameters reduced. */
@Command(
    name = "heatmap",
    mixinStandardHelpOptions = true,
    description = {
      "A coloured heatmap of a metric over two parameters (rows --y, columns --x), the other"
          + " parameters reduced, with a legend.",
      "Plain text when the output is not a terminal, or with NO_COLOR set."
    },
    footer = {"", "Example:", "  kubectl gridsearch heatmap quickstart --x width --y depth"})
final class HeatmapCommand implements Callable<Integer> {
  enum When {
    auto,
    always,
    never
  }

  @Spec CommandSpec spec;
  @Mixin KubeOptions kube;

  @Parameters(index = "0", paramLabel = "NAME", description = "The GridSearch.")
  String name;

  @Option(names = "--x", required = true, paramLabel = "P", description = "The columns' parameter.")
  String x;

  @Option(names = "--y", required = true, paramLabel = "Q", description = "The rows' parameter.")
  String y;

  @Option(
      names = "--metric",
      paramLabel = "M",
      description = "The metric (default: the objective).")
  String metric;

  @Option(
      names = "--reduce",
      description =
          "How the trials of one cell become one value: max, min or mean (default: the best, max"
              + " for Maximize, min for Minimize).")
  Reduce reduce;

  @Option(
      names = "--color",
      defaultValue = "auto",
      description = "auto (colour on a terminal without NO_COLOR), always or never.")
  When color;

  private final Cli cli;

  HeatmapCommand(Cli cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() {
    Cli.Loaded search = cli.load(kube, name);
    SearchInfo info = search.info();
    if (x.equals(y)) {
      throw new ParameterException(spec.commandLine(), "--x and --y must differ");
    }
    String m = metric != null ? metric : info.metric();
    Heatmap h;
    try {
      h = new Heatmap(info, x, y, m, reduce != null ? reduce : Reduce.best(info.maximize()));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    if (info.hasPoints()) {
      // With repeats or folds each cell reduces points' aggregates, as the leaderboard ranks them.
      new TrialRecords(search.source()).forEach(search.gs(), r -> {}, h::acceptPoint);
    } else {
      new TrialRecords(search.source()).forEach(search.gs(), h);
    }
    List<String> others =
        info.parameters().stream().filter(p -> !p.equals(x) && !p.equals(y)).toList();
    boolean maximize = !m.equals(info.metric()) || info.maximize();
    String over = String.join(", ", others);
    String note =
        !info.hasPoints()
            ? ""
            : " (each point: the "
                + (m.equals(info.metric()) ? info.aggregate().name() : "mean")
                + " of "
                + info.layout().repeats()
                + " repeats × "
                + info.layout().folds()
                + " folds)";
    TerminalHeatmap.print(h, over, note, maximize, colour(), spec.commandLine().getOut());
    return 0;
  }

  private TerminalHeatmap.Colour colour() {
    boolean on =
        switch (color) {
          case always -> true;
          case never -> false;
          case auto -> cli.tty() && cli.env().getOrDefault("NO_COLOR", "").isEmpty();
        };
    if (!on) {
      return TerminalHeatmap.Colour.none;
    }
    String ct = cli.env().getOrDefault("COLORTERM", "");
    return ct.equals("truecolor") || ct.equals("24bit")
        ? TerminalHeatmap.Colour.truecolor
        : TerminalHeatmap.Colour.ansi256;
  }
}
