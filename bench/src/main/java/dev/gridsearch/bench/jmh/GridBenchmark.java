package dev.gridsearch.bench.jmh;

import dev.gridsearch.operator.api.GridSearch;
import dev.gridsearch.operator.grid.Assignment;
import dev.gridsearch.operator.grid.Grid;
import dev.gridsearch.operator.trial.SpecGrid;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code Grid.assignment(long)} and its inverse on a 4-axis grid of every kind (values, integer
 * range, float range, log range) with 10^9 points, at pseudo-random indexes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class GridBenchmark {
  Grid grid;
  long size;
  long next = 1;
  Assignment sample;

  @Setup
  public void setup() {
    GridSearch search =
        new KubernetesSerialization()
            .unmarshal(
                """
        apiVersion: gridsearch.dev/v1alpha1
        kind: GridSearch
        metadata: {name: s}
        spec:
          parameters:
            - {name: opt, values: [sgd, adam, adamw, lion, rmsprop, adagrad, 0.5, true, 42, nesterov]}
            - {name: batch, range: {min: 1, max: 1000, step: 1}}
            - {name: dropout, range: {min: 0.001, max: 0.1, step: 0.001}}
            - {name: lr, logRange: {min: 1.0e-6, max: 1.0, count: 1000}}
          objective: {metric: acc, goal: Maximize}
          trialTemplate: {spec: {template: {spec: {containers: [{name: c, image: i}]}}}}
        """,
                GridSearch.class);
    grid = SpecGrid.of(search.getSpec().parameters());
    size = grid.size().getAsLong();
    sample = grid.assignment(size / 3);
  }

  @Benchmark
  public Assignment assignment() {
    next = (next * 6364136223846793005L + 1442695040888963407L);
    return grid.assignment(Math.floorMod(next, size));
  }

  @Benchmark
  public long indexOf() {
    return grid.indexOf(sample);
  }
}
