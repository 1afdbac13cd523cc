package dev.gridsearch.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridsearch.operator.api.GridSearch;
import dev.gridsearch.operator.api.GridSearchStatus.Phase;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The packaged jar, with the chart's JVM options and environment, inside a memory cgroup limited to
 * the chart's memory limit (issue 17: at the old defaults the kernel OOM-killed it under 500
 * unfinished trials). Many searches at once keep {@code searches x parallelism} trials unfinished;
 * the test asserts that the kernel killed nothing, every search completed, and the peak stayed
 * under 85% of the limit. With {@code -Dmemory.nmt=true} the operator runs with Native Memory
 * Tracking and the test prints its summary and a class histogram at the busiest point.
 */
@ExtendWith(ClusterExtension.class)
abstract class AtTheChartsMemoryLimit {
  /** The share of the limit the peak must stay under: room for what this load does not exercise. */
  static final double HEADROOM = 0.85;

  private static final boolean NMT = Boolean.getBoolean("memory.nmt");

  private final ClusterNamespace ns;
  private final int searchCount;
  private final int trials;
  private final int parallelism;
  private final String trialDuration;

  AtTheChartsMemoryLimit(
      ClusterNamespace ns, int searchCount, int trials, int parallelism, String trialDuration) {
    this.ns = ns;
    this.searchCount = searchCount;
    this.trials = trials;
    this.parallelism = parallelism;
    this.trialDuration = trialDuration;
  }

  @Test
  void neverOomKilledAndEverySearchCompletes() throws Exception {
    ChartRuntime chart = ChartRuntime.defaults();
    List<String> jvm = new ArrayList<>(chart.jvmOptions());
    if (NMT) {
      jvm.add("-XX:NativeMemoryTracking=summary");
    }
    String tag = getClass().getSimpleName();
    Searches searches = new Searches(ns);
    Instant start = Instant.now();
    try (MemoryCgroup cgroup =
            MemoryCgroup.create("gridsearch-" + ns.name(), chart.memoryLimitBytes());
        JobWatch watch = new JobWatch(ns);
        OperatorProcess operator =
            OperatorProcess.packaged(ns, jvm, chart.env(), cgroup::wrap).start()) {
      System.out.printf(
          "[%s] %d searches x %d trials at parallelism %d (%s each), JVM %s, %s%n",
          tag,
          searchCount,
          trials,
          parallelism,
          trialDuration,
          String.join(" ", jvm),
          cgroup.describe());
      for (int s = 0; s < searchCount; s++) {
        searches.apply(
            """
            apiVersion: gridsearch.dev/v1alpha1
            kind: GridSearch
            metadata: {name: mem-%02d}
            spec:
              parameters: [{name: x, range: {min: 1, max: %d, step: 1}}]
              objective: {metric: acc, goal: Maximize}
              parallelism: %d
              trialTemplate:
                spec:
                  template:
                    metadata:
                      annotations: {sim.gridsearch.dev/duration: %s, sim.gridsearch.dev/message: 'acc=${params.x}'}
                    spec:
                      containers: [{name: train, image: busybox:1.36}]
            """
                .formatted(s, trials, parallelism, trialDuration));
      }
      String busiest = null;
      long liveHeap = -1;
      int unfinishedTarget = (int) Math.round(0.9 * searchCount * parallelism);
      List<GridSearch> done = new ArrayList<>();
      // A hang guard, not a timing: generous, as a shared 2-core machine may run this 5x slower
      // than idle.
      Instant deadline =
          Instant.now().plus(Duration.ofMinutes(10 + searchCount * (long) trials / 100));
      for (int s = 0; s < searchCount; s++) {
        String name = "mem-%02d".formatted(s);
        while (true) {
          assertThat(operator.isAlive())
              .as(
                  "the operator is running (%s); exit %s; log tail:%n%s",
                  cgroup.describe(), operator.exitCode(), tail(operator.log()))
              .isTrue();
          if (liveHeap < 0 && watch.maxUnfinished() >= unfinishedTarget) {
            // At the busiest point: what a full GC leaves is what the load holds (for the README's
            // slope).
            liveHeap =
                liveHeapBytes(
                    jcmd(operator.pid(), "GC.run") + jcmd(operator.pid(), "GC.heap_info"));
            if (NMT) {
              busiest =
                  jcmd(operator.pid(), "VM.native_memory", "summary")
                      + head(jcmd(operator.pid(), "GC.class_histogram"), 30);
            }
          }
          GridSearch gs = searches.get(name);
          if (gs.getStatus() != null
              && (gs.getStatus().phase() == Phase.Succeeded
                  || gs.getStatus().phase() == Phase.Failed)) {
            done.add(gs);
            break;
          }
          assertThat(Instant.now())
              .as("%s finished before the deadline; %s", name, cgroup.describe())
              .isBefore(deadline);
          Thread.sleep(500);
        }
      }
      String atEnd = NMT ? jcmd(operator.pid(), "VM.native_memory", "summary") : "";
      assertThat(operator.isAlive()).as("the operator is running at the end").isTrue();
      operator.close();
      System.out.printf(
          "[%s] done in %s: at most %d trials unfinished at once, live heap then %d MiB; %s%n",
          tag,
          Duration.between(start, Instant.now()),
          watch.maxUnfinished(),
          liveHeap >> 20,
          cgroup.describe());
      if (NMT) {
        System.out.printf(
            "[%s] at %d unfinished trials:%n%s%n[%s] at the end:%n%s%n",
            tag, watch.maxUnfinished(), busiest, tag, atEnd);
      }
      assertThat(cgroup.oomKills()).as("OOM kills in the operator's cgroup").isZero();
      // A lean cache that breaks what JOSDK reads shows as failed event handlers, and stalls
      // searches.
      assertThat(operator.log())
          .as("operator log")
          .doesNotContain("OutOfMemoryError", "failed invoking");
      assertThat(done)
          .allSatisfy(
              gs -> {
                assertThat(gs.getStatus().phase())
                    .as(gs.getMetadata().getName())
                    .isEqualTo(Phase.Succeeded);
                assertThat(gs.getStatus().progress())
                    .as(gs.getMetadata().getName())
                    .isEqualTo(trials + "/" + trials);
              });
      assertThat(watch.maxUnfinished())
          .as("the load reached its size: trials unfinished at once")
          .isGreaterThanOrEqualTo(unfinishedTarget);
      assertThat(cgroup.peakBytes())
          .as(
              "peak cgroup usage against %.0f%% of the limit; %s",
              100 * HEADROOM, cgroup.describe())
          .isLessThan((long) (HEADROOM * cgroup.limitBytes()));
    }
  }

  private static String jcmd(long pid, String... command) throws IOException, InterruptedException {
    List<String> args =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid)));
    args.addAll(List.of(command));
    Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor(60, TimeUnit.SECONDS);
    return out;
  }

  /**
   * The heap in use from GC.heap_info: every generation's (Serial, Parallel) or the whole heap's
   * (G1) "used".
   */
  static long liveHeapBytes(String heapInfo) {
    var m = java.util.regex.Pattern.compile("total \\d+K, used (\\d+)K").matcher(heapInfo);
    long kb = 0;
    while (m.find()) {
      kb += Long.parseLong(m.group(1));
    }
    return kb << 10;
  }

  private static String head(String text, int lines) {
    return String.join("\n", text.lines().limit(lines).toList()) + "\n";
  }

  private static String tail(String text) {
    List<String> lines = text.lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }
}
