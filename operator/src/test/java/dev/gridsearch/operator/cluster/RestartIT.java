package dev.gridsearch.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gridsearch.operator.api.GridSearch;
import dev.gridsearch.operator.api.GridSearchStatus.Phase;
import dev.gridsearch.operator.results.ResultRecord;
import dev.gridsearch.operator.trial.TrialState;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Exactly once across operator crashes: a 200-trial search with three SIGKILLs (issue 4) and a 300-trial search with
 * five (issue 8), at parallelism 20, each kill at a random point, the operator restarted each time. Every index is
 * created once, every record is there, the best is the true best.
 */
@ExtendWith(ClusterExtension.class)
class RestartIT {
  private final ClusterNamespace ns;

  RestartIT(ClusterNamespace ns) {
    this.ns = ns;
  }

  static final String SEARCH = """
      apiVersion: gridsearch.dev/v1alpha1
      kind: GridSearch
      metadata: {name: NAME}
      spec:
        parameters:
          - {name: a, range: {min: 0, max: MAX_A, step: 1}}
          - {name: b, range: {min: 10, max: 19, step: 1}}
        objective: {metric: score, goal: Minimize}
        parallelism: 20
        trialTemplate:
          spec:
            template:
              metadata:
                annotations:
                  sim.gridsearch.dev/duration: 1s
                  sim.gridsearch.dev/message: 'score=${params.b}${params.a}'
              spec:
                containers: [{name: train, image: busybox:1.36}]
      """;

  @ParameterizedTest(name = "{0} trials, {1} kills")
  @CsvSource({"200, 3", "300, 5"})
  void killingTheOperatorNeverDuplicatesOrLosesATrial(int trials, int kills) throws Exception {
    Searches searches = new Searches(ns);
    String name = "crashy-" + trials;
    Random random = new Random(Long.getLong("gridsearch.seed", System.nanoTime()));
    long step = trials / (kills + 1);
    try (JobWatch watch = new JobWatch(ns); OperatorProcess operator = new OperatorProcess(ns).start()) {
      searches.apply(SEARCH.replace("NAME", name).replace("MAX_A", Integer.toString(trials / 10 - 1)));
      for (int kill = 1; kill <= kills; kill++) {
        long target = step * kill + random.nextInt((int) (step * 3 / 4));
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100)).until(() -> {
          GridSearch gs = searches.get(name);
          return gs.getStatus() != null && gs.getStatus().launched() != null && gs.getStatus().launched() >= target;
        });
        Thread.sleep(random.nextInt(1500));
        operator.kill();
        operator.start();
      }
      GridSearch done = searches.awaitFinished(name, Duration.ofMinutes(5));
      assertThat(operator.starts()).isEqualTo(kills + 1);
      assertThat(done.getStatus().phase()).isEqualTo(Phase.Succeeded);
      assertThat(done.getStatus().progress()).isEqualTo(trials + "/" + trials);

      Map<String, Integer> created = new java.util.TreeMap<>(watch.creations());
      created.keySet().removeIf(job -> !job.startsWith(name + "-"));
      assertThat(created).hasSize(trials);
      assertThat(created.entrySet().stream().filter(e -> e.getValue() != 1).collect(Collectors.toList()))
          .as("Jobs created more than once").isEmpty();

      Map<Long, ResultRecord> records = searches.records(name);
      assertThat(records.keySet()).containsExactlyElementsOf(LongStream.range(0, trials).boxed().toList());
      assertThat(records.values()).allSatisfy(r -> assertThat(r.state()).isEqualTo(TrialState.Succeeded));
      // The uninterrupted answer is known: score = <b><a> is smallest at b=10, a=0, trial 0.
      assertThat(done.getStatus().best().trial()).isZero();
      assertThat(done.getStatus().best().value()).isEqualTo(100.0);
    }
  }
}
