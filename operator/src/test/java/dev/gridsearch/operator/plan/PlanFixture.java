package dev.gridsearch.operator.plan;

import dev.gridsearch.operator.api.GridSearch;
import dev.gridsearch.operator.api.GridSearchStatus;
import dev.gridsearch.operator.grid.Grid;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** Builds planner inputs in a few lines: a spec from YAML, live trials, stored records. */
public final class PlanFixture {
  public static final KubernetesSerialization YAML = new KubernetesSerialization();
  public static final ResultCodec CODEC = new ResultCodec();
  public static final Instant NOW = Instant.parse("2026-11-29T10:00:00Z");

  public GridSearch search;
  public final List<TrialObservation> live = new ArrayList<>();
  final Map<Long, ResultRecord> stored = new LinkedHashMap<>();
  Set<Long> deleted = Set.of();
  Optional<String> invalid = Optional.empty();
  Instant now = NOW;

  /** A search over x in [1..xs] and y in [1..ys] maximising "acc", with extra spec lines. */
  public static PlanFixture grid(int xs, int ys, String... specLines) {
    PlanFixture f = new PlanFixture();
    StringBuilder yaml =
        new StringBuilder(
            """
        apiVersion: gridsearch.dev/v1alpha1
        kind: GridSearch
        metadata: {name: s, namespace: ns, uid: u-1, generation: 1}
        spec:
          parameters:
            - {name: x, range: {min: 1, max: %d, step: 1}}
            - {name: y, range: {min: 1, max: %d, step: 1}}
          objective: {metric: acc, goal: Maximize}
          parallelism: 1
          trialRetries: 0
          leaderboardSize: 5
          suspend: false
          trialTemplate:
            spec:
              template:
                spec:
                  containers: [{name: c, image: i}]
        """
                .formatted(xs, ys));
    var tree =
        (com.fasterxml.jackson.databind.node.ObjectNode)
            YAML.unmarshal(yaml.toString(), com.fasterxml.jackson.databind.JsonNode.class);
    var spec = (com.fasterxml.jackson.databind.node.ObjectNode) tree.get("spec");
    for (String line : specLines) {
      spec.setAll(
          (com.fasterxml.jackson.databind.node.ObjectNode)
              YAML.unmarshal(line, com.fasterxml.jackson.databind.JsonNode.class));
    }
    f.search = YAML.convertValue(tree, GridSearch.class);
    return f;
  }

  Grid gridOf() {
    return SpecGrid.of(search.getSpec().parameters());
  }

  public PlanFixture status(GridSearchStatus status) {
    search.setStatus(status);
    return this;
  }

  public PlanFixture running(long... indexes) {
    for (long i : indexes) {
      live.add(
          new TrialObservation(
              i,
              job(i),
              TrialState.Running,
              false,
              false,
              NOW.minusSeconds(60),
              null,
              null,
              null,
              null,
              null));
    }
    return this;
  }

  public PlanFixture pending(long... indexes) {
    for (long i : indexes) {
      live.add(
          new TrialObservation(
              i, job(i), TrialState.Pending, false, false, NOW, null, null, null, null, null));
    }
    return this;
  }

  PlanFixture suspendedJob(long i) {
    live.add(
        new TrialObservation(
            i, job(i), TrialState.Pending, true, false, NOW, null, null, null, null, null));
    return this;
  }

  /** A live Job that finished with this objective value (null: failed). */
  public PlanFixture finished(long i, Double value) {
    live.add(
        new TrialObservation(
            i,
            job(i),
            value == null ? TrialState.Failed : TrialState.Succeeded,
            false,
            false,
            NOW.minusSeconds(60),
            NOW,
            value == null ? "BackoffLimitExceeded" : null,
            null,
            value == null ? null : Map.of("acc", value),
            value));
    return this;
  }

  public PlanFixture stored(long i, Double value) {
    TrialState state = value == null ? TrialState.Failed : TrialState.Succeeded;
    var layout = search.getSpec().layout();
    stored.put(
        i,
        new ResultRecord(
            i,
            job(i),
            state,
            gridOf().assignment(layout.point(i)).asMap(),
            value,
            value == null ? null : Map.of("acc", value),
            value == null ? "BackoffLimitExceeded" : null,
            null,
            null,
            null,
            layout.point(i),
            layout.repeat(i),
            layout.fold(i)));
    return this;
  }

  PlanFixture stored(ResultRecord record) {
    stored.put(record.trial(), record);
    return this;
  }

  PlanFixture storedRange(long from, long to, double value) {
    for (long i = from; i < to; i++) {
      stored(i, value);
    }
    return this;
  }

  /** Stored records live in one shard, as the reconciler would summarise it. */
  public ResultsView view() {
    if (stored.isEmpty()) {
      return ResultsView.EMPTY;
    }
    Map<String, String> data = new HashMap<>();
    stored.values().forEach(r -> data.put(Long.toString(r.trial()), CODEC.encode(r)));
    // As the operator stores them: a point's record beside its trials' once all of them have one.
    var layout = search.getSpec().layout();
    Map<Long, List<ResultRecord>> byPoint = new TreeMap<>();
    stored
        .values()
        .forEach(
            r ->
                byPoint
                    .computeIfAbsent(layout.point(r.trial()), p -> new java.util.ArrayList<>())
                    .add(r));
    byPoint.forEach(
        (p, trials) -> {
          if (trials.size() == layout.perPoint()) {
            data.put(
                ResultShards.pointKey(p),
                CODEC.encodePoint(
                    dev.gridsearch.operator.points.Points.aggregate(
                        p,
                        gridOf().assignment(p).asMap(),
                        layout,
                        trials,
                        search.getSpec().objective())));
          }
        });
    ShardSummary summary =
        ShardSummary.of(
            ResultShards.shardName("s", 0), "1", data, CODEC, search.getSpec().objective().goal());
    return ResultsView.of(new TreeMap<>(Map.of(0, summary)));
  }

  PlanInput input() {
    return new PlanInput(
        search, Optional.of(gridOf()), invalid, List.copyOf(live), view(), deleted, now);
  }

  Plan plan() {
    return new Planner(CODEC).plan(input());
  }

  public static String job(long i) {
    return TrialNames.jobName("s", i);
  }
}
