package dev.gridsearch.cli;

import dev.gridsearch.cli.source.SearchSource;
import dev.gridsearch.cli.view.Eta;
import dev.gridsearch.cli.view.Numbers;
import dev.gridsearch.operator.api.GridSearch;
import dev.gridsearch.operator.api.GridSearchStatus;
import dev.gridsearch.operator.api.GridSearchStatus.Phase;
import dev.gridsearch.operator.results.ResultCodec;
import dev.gridsearch.operator.results.ResultRecord;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** A search's progress until it finishes: a bar, the counts, the best so far and an ETA. */
@Command(
    name = "watch",
    mixinStandardHelpOptions = true,
    description = {
      "A search's progress until it finishes: a progress bar, running and failed trials, the best"
          + " so far, and an ETA from the average trial time and the parallelism.",
      "On a terminal the line redraws in place; otherwise a line is printed at each change."
    })
final class WatchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin KubeOptions kube;

  @Parameters(index = "0", paramLabel = "NAME", description = "The GridSearch.")
  String name;

  @Option(
      names = "--interval",
      defaultValue = "2s",
      paramLabel = "D",
      description = "How often to read the status, e.g. 2s, 500ms (default: ${DEFAULT-VALUE}).")
  String interval;

  private final Cli cli;

  /** Full shards never change (records go to the last one), so each is summed once. */
  private final Map<String, double[]> fullShards = new HashMap<>();

  private final ResultCodec codec = new ResultCodec();
  private long shardsReadAt = Long.MIN_VALUE;
  private double average;

  WatchCommand(Cli cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() throws Exception {
    SearchSource source = cli.source(kube);
    Duration every = parse(interval);
    PrintWriter out = spec.commandLine().getOut();
    String last = null;
    while (true) {
      GridSearch gs = source.get(name);
      String line = line(source, gs);
      boolean done = finished(gs);
      if (cli.tty()) {
        out.print("\r\u001b[2K" + line + (done ? "\n" : ""));
        out.flush();
      } else if (!line.equals(last)) {
        out.println(line);
        out.flush();
      }
      last = line;
      if (done) {
        return gs.getStatus().phase() == Phase.Succeeded ? 0 : 1;
      }
      Thread.sleep(every.toMillis());
    }
  }

  private static boolean finished(GridSearch gs) {
    return gs.getStatus() != null
        && (gs.getStatus().phase() == Phase.Succeeded || gs.getStatus().phase() == Phase.Failed);
  }

  String line(SearchSource source, GridSearch gs) {
    GridSearchStatus s = gs.getStatus();
    if (s == null || s.totalTrials() == null) {
      return name + ": Pending (no status yet)";
    }
    var t = s.trials();
    long finished = t == null ? 0 : t.succeeded() + t.failed() + t.metricsMissing() + t.stopped();
    long total = s.totalTrials();
    StringBuilder b = new StringBuilder();
    b.append(name)
        .append(' ')
        .append(Eta.bar(finished, total, 30))
        .append(' ')
        .append(finished)
        .append('/')
        .append(total)
        .append(' ')
        .append(total == 0 ? 100 : finished * 100 / total)
        .append("% ")
        .append(s.phase());
    if (t != null) {
      b.append(" running ")
          .append(t.running())
          .append(" failed ")
          .append(t.failed() + t.metricsMissing());
    }
    if (s.best() != null) {
      b.append(" best ")
          .append(gs.getSpec().objective().metric())
          .append('=')
          .append(Numbers.shortly(s.best().value()))
          .append(
              s.best().trial() != null
                  ? " (trial " + s.best().trial() + ")"
                  : " (point " + s.best().point() + ")");
    }
    if (!finished(gs) && s.phase() != Phase.Suspended) {
      double avg = averageTrialSeconds(source, gs);
      int parallelism = gs.getSpec().parallelism() == null ? 1 : gs.getSpec().parallelism();
      b.append(" ETA ")
          .append(
              Eta.of(total, finished, parallelism, avg)
                  .map(Numbers::duration)
                  .orElse("unknown (no trial finished yet)"));
    }
    return b.toString();
  }

  /** The mean wall time of the recorded trials; the shards are re-read at most every 10 s. */
  private double averageTrialSeconds(SearchSource source, GridSearch gs) {
    long now = cli.clock().millis();
    if (now - shardsReadAt < 10_000) {
      return average;
    }
    shardsReadAt = now;
    List<String> names = source.shardNames(gs);
    double seconds = 0;
    long records = 0;
    for (int k = 0; k < names.size(); k++) {
      double[] sum = fullShards.get(names.get(k));
      if (sum == null) {
        sum = new double[2];
        for (String v : source.shard(gs, names.get(k)).orElse(Map.of()).values()) {
          var r = codec.decode(v);
          if (r.isPresent() && r.get().startTime() != null && r.get().finishTime() != null) {
            sum[0] += ResultRecord.seconds(r.get());
            sum[1]++;
          }
        }
        if (k < names.size() - 1) {
          fullShards.put(names.get(k), sum);
        }
      }
      seconds += sum[0];
      records += (long) sum[1];
    }
    average = records == 0 ? 0 : seconds / records;
    return average;
  }

  private static Duration parse(String text) {
    String t = text.trim();
    if (t.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
    }
    if (t.endsWith("s")) {
      return Duration.ofMillis(
          Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
    }
    return Duration.ofSeconds(Long.parseLong(t));
  }
}
