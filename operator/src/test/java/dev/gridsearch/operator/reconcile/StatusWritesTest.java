package dev.gridsearch.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridsearch.operator.api.GridSearch;
import dev.gridsearch.operator.api.GridSearchStatus;
import dev.gridsearch.operator.api.GridSearchStatus.Phase;
import dev.gridsearch.operator.api.GridSearchStatus.PointSummary;
import dev.gridsearch.operator.api.GridSearchStatus.TrialCounts;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusWritesTest {
  private static final Instant T0 = Instant.parse("2026-11-29T12:00:00Z");
  private final SearchMemories memories = new SearchMemories();
  private final Writes writes = new Writes();

  /** StatusWrites over the memory of each search, as the reconciler uses it. */
  private final class Writes {
    StatusWrites.Decision decide(GridSearch search, GridSearchStatus next, Instant now) {
      return StatusWrites.decide(search, memories.of(search), next, now);
    }

    GridSearch latest(GridSearch search) {
      return StatusWrites.latest(search, memories.of(search));
    }
  }

  @Test
  void aProgressOnlyChangeIsHeldAndPlannedFromUntilTheDelayHasPassed() {
    GridSearch search = search("uid-1", status(Phase.Running, 10, 4, "4 running"));
    GridSearchStatus next = status(Phase.Running, 12, 6, "6 running");

    StatusWrites.Decision first = writes.decide(search, next, T0);
    assertThat(first.write()).isFalse();
    assertThat(first.after()).contains(StatusWrites.DELAY);
    // The next reconcile plans from the held status (its launched count), not the written one.
    assertThat(writes.latest(search).getStatus()).isEqualTo(next);

    GridSearchStatus later = status(Phase.Running, 13, 7, "7 running");
    StatusWrites.Decision second = writes.decide(search, later, T0.plusSeconds(3));
    assertThat(second.write()).isFalse();
    assertThat(second.after())
        .contains(StatusWrites.DELAY.minusSeconds(3)); // counted from the first held change

    assertThat(writes.decide(search, later, T0.plus(StatusWrites.DELAY)).write()).isTrue();
    assertThat(writes.latest(search)).isSameAs(search);
  }

  @Test
  void aPhaseBestOrConditionChangeIsWrittenAtOnce() {
    GridSearch search = search("uid-1", status(Phase.Running, 10, 4, "4 running"));
    assertThat(writes.decide(search, status(Phase.Succeeded, 10, 0, "done"), T0).write()).isTrue();

    GridSearchStatus withBest = withBest(status(Phase.Running, 10, 4, "4 running"));
    assertThat(writes.decide(search, withBest, T0).write()).isTrue();

    GridSearchStatus quotaLimited =
        withCondition(status(Phase.Running, 10, 4, "4 running"), "QuotaLimited");
    assertThat(writes.decide(search, quotaLimited, T0).write()).isTrue();
  }

  @Test
  void aHeldStatusIsDroppedWhenTheWrittenOneIsCurrentAgainOrTheSearchIsANewObject() {
    GridSearchStatus written = status(Phase.Running, 10, 4, "4 running");
    GridSearch search = search("uid-1", written);
    writes.decide(search, status(Phase.Running, 11, 5, "5 running"), T0);

    StatusWrites.Decision same = writes.decide(search, written, T0.plusSeconds(1));
    assertThat(same.write()).isFalse();
    assertThat(same.after()).isEmpty();
    assertThat(writes.latest(search)).isSameAs(search);

    writes.decide(search, status(Phase.Running, 11, 5, "5 running"), T0);
    GridSearch recreated =
        search("uid-2", written); // deleted and created again under the same name
    assertThat(writes.latest(recreated)).isSameAs(recreated);
  }

  @Test
  void aFirstStatusIsWrittenAtOnce() {
    assertThat(
            writes
                .decide(search("uid-1", null), status(Phase.Pending, 0, 0, "0 running"), T0)
                .write())
        .isTrue();
  }

  private static GridSearch search(String uid, GridSearchStatus status) {
    GridSearch search = new GridSearch();
    ObjectMeta meta = new ObjectMeta();
    meta.setName("sweep");
    meta.setNamespace("ml");
    meta.setUid(uid);
    search.setMetadata(meta);
    search.setStatus(status);
    return search;
  }

  private static GridSearchStatus status(
      Phase phase, long launched, long running, String readyMessage) {
    Condition ready =
        new ConditionBuilder()
            .withType("Ready")
            .withStatus("True")
            .withReason(phase.name())
            .withMessage(readyMessage)
            .withLastTransitionTime(T0.toString())
            .build();
    return GridSearchStatus.builder()
        .observedGeneration(1L)
        .phase(phase)
        .gridSize(100L)
        .totalTrials(100L)
        .launched(launched)
        .progress((launched - running) + "/100")
        .trials(new TrialCounts(0, running, launched - running, 0, 0, 0))
        .best(null)
        .leaderboard(List.of())
        .results(new GridSearchStatus.ResultsRef(List.of("sweep-results-0"), launched - running))
        .startTime(T0.toString())
        .completionTime(null)
        .budget(null)
        .preflight(null)
        .conditions(List.of(ready))
        .build();
  }

  private static GridSearchStatus withBest(GridSearchStatus s) {
    return GridSearchStatus.builder()
        .observedGeneration(s.observedGeneration())
        .phase(s.phase())
        .gridSize(s.gridSize())
        .totalTrials(s.totalTrials())
        .launched(s.launched())
        .progress(s.progress())
        .trials(s.trials())
        .best(
            new PointSummary(
                3, 3L, "sweep-3", 0.9, null, null, 1, Map.of("lr", "0.1"), Map.of("acc", 0.9)))
        .leaderboard(s.leaderboard())
        .results(s.results())
        .startTime(s.startTime())
        .completionTime(s.completionTime())
        .budget(s.budget())
        .preflight(s.preflight())
        .conditions(s.conditions())
        .build();
  }

  private static GridSearchStatus withCondition(GridSearchStatus s, String type) {
    List<Condition> conditions = new java.util.ArrayList<>(s.conditions());
    conditions.add(
        new ConditionBuilder().withType(type).withStatus("True").withReason(type).build());
    return GridSearchStatus.builder()
        .observedGeneration(s.observedGeneration())
        .phase(s.phase())
        .gridSize(s.gridSize())
        .totalTrials(s.totalTrials())
        .launched(s.launched())
        .progress(s.progress())
        .trials(s.trials())
        .best(s.best())
        .leaderboard(s.leaderboard())
        .results(s.results())
        .startTime(s.startTime())
        .completionTime(s.completionTime())
        .budget(s.budget())
        .preflight(s.preflight())
        .conditions(conditions)
        .build();
  }
}
