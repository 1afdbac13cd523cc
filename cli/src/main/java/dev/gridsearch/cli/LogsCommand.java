package dev.gridsearch.cli;

import dev.gridsearch.cli.source.SearchSource;
import dev.gridsearch.cli.source.TrialRecords;
import dev.gridsearch.operator.api.GridSearch;
import dev.gridsearch.operator.results.ResultRecord;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.commons.io.output.WriterOutputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** A trial pod's log while the pod exists; after that, what its record kept. */
@Command(
    name = "logs",
    mixinStandardHelpOptions = true,
    description = {
      "The log of a trial's pod (the newest, when retries made several), while the pod exists.",
      "Once the pod is gone, says so and prints what the trial's record kept (a failed trial's log"
          + " tail), and exits 1."
    },
    footer = {"", "Example:", "  kubectl gridsearch logs quickstart --trial 5 -f"})
final class LogsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin KubeOptions kube;

  @Parameters(index = "0", paramLabel = "NAME", description = "The GridSearch.")
  String name;

  @Option(names = "--trial", required = true, paramLabel = "I", description = "The trial index.")
  long trial;

  @Option(
      names = {"-f", "--follow"},
      description = "Stream the log until the pod finishes.")
  boolean follow;

  @Option(names = "--tail", paramLabel = "N", description = "Only the last N lines.")
  Integer tail;

  private final Cli cli;

  LogsCommand(Cli cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() throws Exception {
    SearchSource source = cli.source(kube);
    GridSearch gs = source.get(name);
    List<String> pods = source.trialPods(gs, trial);
    PrintWriter out = spec.commandLine().getOut();
    if (!pods.isEmpty()) {
      out.flush();
      // Decodes across writes: a character split between two reads of the log arrives whole.
      OutputStream raw =
          WriterOutputStream.builder()
              .setWriter(out)
              .setCharset(StandardCharsets.UTF_8)
              .setWriteImmediately(true)
              .get();
      source.log(gs, pods.get(0), follow, tail, raw);
      raw.close();
      out.flush();
      return 0;
    }
    PrintWriter err = spec.commandLine().getErr();
    ResultRecord[] found = new ResultRecord[1];
    new TrialRecords(source)
        .forEach(
            gs,
            r -> {
              if (r.trial() == trial) {
                found[0] = r;
              }
            });
    if (found[0] == null) {
      err.println("trial " + trial + " of " + name + " has no pod and no record (not run yet?)");
    } else {
      ResultRecord r = found[0];
      err.println(
          "the pod of trial "
              + trial
              + " is gone (its Job was cleaned up); its record says: "
              + r.state()
              + (r.reason() == null ? "" : " (" + r.reason() + ")"));
      if (r.message() != null) {
        out.println(r.message());
      }
    }
    out.flush();
    err.flush();
    return 1;
  }
}
