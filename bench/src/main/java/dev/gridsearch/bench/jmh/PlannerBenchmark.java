package dev.gridsearch.bench.jmh;

import dev.gridsearch.operator.api.GridSearch;
import dev.gridsearch.operator.api.Objective.Goal;
import dev.gridsearch.operator.grid.Grid;
import dev.gridsearch.operator.plan.Plan;
import dev.gridsearch.operator.plan.PlanInput;
import dev.gridsearch.operator.plan.Planner;
import dev.gridsearch.operator.results.ResultCodec;
import dev.gridsearch.operator.results.ResultRecord;
import dev.gridsearch.operator.results.ResultShards;
import dev.gridsearch.operator.results.ResultsView;
import dev.gridsearch.operator.results.ShardSummary;
import dev.gridsearch.operator.trial.SpecGrid;
import dev.gridsearch.operator.trial.TrialNames;
import dev.gridsearch.operator.trial.TrialObservation;
import dev.gridsearch.operator.trial.TrialState;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code Planner.plan()} for one reconcile of a search with 10,000 live trials (parallelism 10,000
 * over a 1,000 x 1,000 grid): {@code finishedLive} of them have finished and are due to be
 * recorded, the rest run; 20,000 earlier results are stored in shards of 1,000 records.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PlannerBenchmark {
  static final KubernetesSerialization SER = new KubernetesSerialization();
  static final Instant NOW = Instant.parse("2026-11-29T10:00:00Z");

  @Param({"10000"})
  int live;

  @Param({"0", "100"})
  int finishedLive;

  Planner planner;
  PlanInput input;

  @Setup
  public void setup() {
    ResultCodec codec = new ResultCodec();
    planner = new Planner(codec);
    GridSearch search =
        SER.unmarshal(
            """
        apiVersion: gridsearch.dev/v1alpha1
        kind: GridSearch
        metadata: {name: s, namespace: ns, uid: u-1, generation: 1}
        spec:
          parameters:
            - {name: x, range: {min: 0, max: 999, step: 1}}
            - {name: y, range: {min: 0, max: 999, step: 1}}
          objective: {metric: acc, goal: Maximize}
          parallelism: 10000
          trialRetries: 0
          leaderboardSize: 5
          suspend: false
          trialTemplate:
            spec:
              template:
                spec:
                  containers: [{name: c, image: i}]
        """,
            GridSearch.class);
    Grid grid = SpecGrid.of(search.getSpec().parameters());
    int stored = 20_000;
    TreeMap<Integer, ShardSummary> shards = new TreeMap<>();
    for (int shard = 0; shard < stored / 1000; shard++) {
      Map<String, String> data = new HashMap<>();
      for (long i = shard * 1000L; i < (shard + 1) * 1000L; i++) {
        double v = (i * 7919 % 10007) / 10007.0;
        data.put(
            Long.toString(i),
            codec.encode(
                new ResultRecord(
                    i,
                    TrialNames.jobName("s", i),
                    TrialState.Succeeded,
                    grid.assignment(i).asMap(),
                    v,
                    Map.of("acc", v),
                    null,
                    null,
                    NOW.minusSeconds(120).toString(),
                    NOW.minusSeconds(60).toString())));
      }
      shards.put(
          shard,
          ShardSummary.of(ResultShards.shardName("s", shard), "1", data, codec, Goal.Maximize));
    }
    ResultsView view = ResultsView.of(shards);
    List<TrialObservation> obs = new ArrayList<>();
    for (long i = stored; i < stored + live; i++) {
      boolean done = i - stored < finishedLive;
      double v = (i * 7919 % 10007) / 10007.0;
      obs.add(
          new TrialObservation(
              i,
              TrialNames.jobName("s", i),
              done ? TrialState.Succeeded : TrialState.Running,
              false,
              false,
              NOW.minusSeconds(30),
              done ? NOW.minus(Planner.RECORD_DELAY) : null,
              null,
              null,
              done ? Map.of("acc", v) : null,
              done ? v : null));
    }
    input =
        new PlanInput(
            search, Optional.of(grid), Optional.empty(), List.copyOf(obs), view, Set.of(), NOW);
  }

  @Benchmark
  public Plan plan() {
    return planner.plan(input);
  }
}
