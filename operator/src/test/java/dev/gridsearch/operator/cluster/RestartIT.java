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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Exactly once across operator crashes: a 200-trial search at parallelism 20, the operator SIGKILLed three times at
 * random points and restarted. Every index is created once, every record is there, the best is the true best.
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
      metadata: {name: crashy}
      spec:
        parameters:
          - {name: a, range: {min: 0, max: 19, step: 1}}
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

  @Test
  void killingTheOperatorNeverDuplicatesOrLosesATrial() throws Exception {
    Searches searches = new Searches(ns);
    Random random = new Random(Long.getLong("gridsearch.seed", System.nanoTime()));
    try (JobWatch watch = new JobWatch(ns); OperatorProcess operator = new OperatorProcess(ns).start()) {
      searches.apply(SEARCH);
      for (int kill = 1; kill <= 3; kill++) {
        long target = 40L * kill + random.nextInt(30);
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100)).until(() -> {
          GridSearch gs = searches.get("crashy");
          return gs.getStatus() != null && gs.getStatus().launched() != null && gs.getStatus().launched() >= target;
        });
        Thread.sleep(random.nextInt(1500));
        operator.kill();
        operator.start();
      }
      GridSearch done = searches.awaitFinished("crashy", Duration.ofMinutes(5));
      assertThat(operator.starts()).isEqualTo(4);
      assertThat(done.getStatus().phase()).isEqualTo(Phase.Succeeded);
      assertThat(done.getStatus().progress()).isEqualTo("200/200");

      Map<String, Integer> created = watch.creations();
      assertThat(created).hasSize(200);
      assertThat(created.entrySet().stream().filter(e -> e.getValue() != 1).collect(Collectors.toList()))
          .as("Jobs created more than once").isEmpty();

      Map<Long, ResultRecord> records = searches.records("crashy");
      assertThat(records.keySet()).containsExactlyElementsOf(LongStream.range(0, 200).boxed().toList());
      assertThat(records.values()).allSatisfy(r -> assertThat(r.state()).isEqualTo(TrialState.Succeeded));
      // The uninterrupted answer is known: score = <b><a> is smallest at b=10, a=0, trial 0.
      assertThat(done.getStatus().best().trial()).isZero();
      assertThat(done.getStatus().best().value()).isEqualTo(100.0);
    }
  }
}
