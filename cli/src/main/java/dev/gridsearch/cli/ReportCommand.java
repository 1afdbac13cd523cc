package dev.gridsearch.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "report", mixinStandardHelpOptions = true)
final class ReportCommand implements Callable<Integer> {
  ReportCommand(Cli cli) {}

  @Override
  public Integer call() {
    return 0;
  }
}
