package dev.gridsearch.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gridsearch.operator.api.GridSearch;
import dev.gridsearch.operator.api.GridSearchStatus.Phase;
import dev.gridsearch.operator.api.GridSearchStatus.PointSummary;
import dev.gridsearch.operator.results.ResultRecord;
import dev.gridsearch.operator.trial.TrialState;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Exactly once across operator crashes: a 200-trial search with three SIGKILLs (issue 4) and a
 * 300-trial search with five (issue 8), at parallelism 20, each kill at a random point in the first
 * three quarters of the grid, the operator restarted each time. Every index is created once, every
 * record is there, and the best is the true best: the scores are a random permutation whose best
 * sits in the last tenth of the grid, so it is found by an operator that was restarted after the
 * last kill. The seed is printed; {@code -Dgridsearch.test.seed=N} replays it.
 */
@ExtendWith(ClusterExtension.class)
class RestartIT {
  private final ClusterNamespace ns;

  RestartIT(ClusterNamespace ns) {
    this.ns = ns;
  }

  static final String SEARCH =
      """
      apiVersion: gridsearch.dev/v1alpha1
      kind: GridSearch
      metadata: {name: NAME}
      spec:
        parameters:
          - {name: s, values: [SCORES]}
        objective: {metric: score, goal: Minimize}
        parallelism: 20
        trialTemplate:
          spec:
            template:
              metadata:
                annotations:
                  sim.gridsearch.dev/duration: 1s
                  sim.gridsearch.dev/message: 'score=${params.s}'
              spec:
                containers: [{name: train, image: busybox:1.36}]
      """;

  /**
   * Trial i scores scores.get(i): a permutation of 1000..1000+trials-1, its minimum in the last
   * tenth.
   */
  static List<Integer> scores(int trials, Random random) {
    List<Integer> scores = new ArrayList<>(IntStream.range(1000, 1000 + trials).boxed().toList());
    Collections.shuffle(scores, random);
    int best = trials - 1 - random.nextInt(trials / 10);
    Collections.swap(scores, best, scores.indexOf(1000));
    return scores;
  }

  @ParameterizedTest(name = "{0} trials, {1} kills")
  @CsvSource({"200, 3", "300, 5"})
  void killingTheOperatorNeverDuplicatesOrLosesATrial(int trials, int kills) throws Exception {
    Searches searches = new Searches(ns);
    String name = "crashy-" + trials;
    long seed = Long.getLong("gridsearch.test.seed", System.nanoTime());
    System.out.printf(
        "[RestartIT] %d trials, %d kills: seed %d (replay with -Dgridsearch.test.seed=%d)%n",
        trials, kills, seed, seed);
    Random random = new Random(seed);
    List<Integer> scores = scores(trials, random);
    // The true answer, computed here: the smallest score, ties to the lower index (there are none).
    List<Long> ranking =
        LongStream.range(0, trials)
            .boxed()
            .sorted(
                Comparator.comparing((Long i) -> scores.get(i.intValue())).thenComparing(i -> i))
            .toList();
    long bestTrial = ranking.get(0);
    long step = trials * 3 / 4 / (kills + 1);
    Instant lastKill = null;
    try (JobWatch watch = new JobWatch(ns);
        OperatorProcess operator = new OperatorProcess(ns).start()) {
      searches.apply(
          SEARCH
              .replace("NAME", name)
              .replace(
                  "SCORES",
                  scores.stream().map(String::valueOf).collect(Collectors.joining(", "))));
      for (int kill = 1; kill <= kills; kill++) {
        long target = step * kill + random.nextInt((int) (step * 3 / 4));
        await()
            .atMost(Duration.ofMinutes(3))
            .pollInterval(Duration.ofMillis(100))
            .until(
                () -> {
                  GridSearch gs = searches.get(name);
                  return gs.getStatus() != null
                      && gs.getStatus().launched() != null
                      && gs.getStatus().launched() >= target;
                });
        Thread.sleep(
            random.nextInt(1500)); // a random moment of the reconcile cycle, not a timing assertion
        operator.kill();
        lastKill = Instant.now();
        operator.start();
      }
      GridSearch done = searches.awaitFinished(name, Duration.ofMinutes(5));
      assertThat(operator.starts()).isEqualTo(kills + 1);
      assertThat(done.getStatus().phase()).isEqualTo(Phase.Succeeded);
      assertThat(done.getStatus().progress()).isEqualTo(trials + "/" + trials);

      Map<String, Integer> created = new java.util.TreeMap<>(watch.creations());
      created.keySet().removeIf(job -> !job.startsWith(name + "-"));
      Map<Long, ResultRecord> records = searches.records(name);
      List<String> neverCreated =
          LongStream.range(0, trials)
              .filter(i -> !created.containsKey(name + "-" + i))
              .mapToObj(
                  i ->
                      i
                          + " (record: "
                          + (records.containsKey(i)
                              ? records.get(i).state()
                                  + "/"
                                  + records.get(i).reason()
                                  + ": "
                                  + records.get(i).message()
                              : "none")
                          + ")")
              .toList();
      assertThat(neverCreated)
          .as(
              "trials whose Job the watch never saw created (seed %d; the watch was "
                  + "re-established %d times)",
              seed, watch.restarts())
          .isEmpty();
      assertThat(created).hasSize(trials);
      assertThat(
              created.entrySet().stream()
                  .filter(e -> e.getValue() != 1)
                  .collect(Collectors.toList()))
          .as("Jobs created more than once")
          .isEmpty();

      assertThat(records.keySet())
          .containsExactlyElementsOf(LongStream.range(0, trials).boxed().toList());
      assertThat(records.values())
          .allSatisfy(r -> assertThat(r.state()).isEqualTo(TrialState.Succeeded));
      assertThat(records.values())
          .allSatisfy(
              r ->
                  assertThat(r.value())
                      .as("trial " + r.trial())
                      .isEqualTo(scores.get((int) r.trial()).doubleValue()));

      // The scenario holds: the best trial's Job (always kept) was created after the last kill, by
      // a restarted
      // operator (creationTimestamp has one-second precision, so it must be at least a second
      // later).
      Job bestJob =
          searches.jobs(name).stream()
              .filter(j -> j.getMetadata().getName().equals(name + "-" + bestTrial))
              .findFirst()
              .orElseThrow(
                  () ->
                      new AssertionError(
                          "the best trial's Job " + name + "-" + bestTrial + " was not kept"));
      assertThat(Instant.parse(bestJob.getMetadata().getCreationTimestamp()))
          .as("creation of the best trial's Job (seed %d)", seed)
          .isAfterOrEqualTo(lastKill.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1));

      assertThat(done.getStatus().best().trial())
          .as("best trial (seed %d)", seed)
          .isEqualTo(bestTrial);
      assertThat(done.getStatus().best().value()).isEqualTo(1000.0);
      assertThat(done.getStatus().best().parameters()).containsExactly(Map.entry("s", "1000"));
      assertThat(done.getStatus().leaderboard())
          .extracting(PointSummary::trial)
          .as("leaderboard (seed %d)", seed)
          .containsExactlyElementsOf(ranking.subList(0, 5));
    }
  }
}
