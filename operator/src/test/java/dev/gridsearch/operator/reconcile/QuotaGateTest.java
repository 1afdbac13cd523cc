package dev.gridsearch.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridsearch.operator.api.GridSearch;
import dev.gridsearch.operator.quota.PodDemand;
import dev.gridsearch.operator.quota.QuotaHeadroom;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Turn-taking under a shared quota: nobody waits behind a search that is gone, suspended or
 * finished.
 */
class QuotaGateTest {
  private static final KubernetesSerialization YAML = new KubernetesSerialization();
  private static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");
  private static final ResourceQuota QUOTA =
      YAML.unmarshal(
          """
      apiVersion: v1
      kind: ResourceQuota
      metadata: {name: q, namespace: ml}
      spec: {hard: {requests.cpu: '2'}}
      status: {hard: {requests.cpu: '2'}, used: {requests.cpu: '0'}}
      """,
          ResourceQuota.class);
  private static final PodDemand ONE_CPU =
      PodDemand.of(
          YAML.unmarshal(
              "containers: [{name: a, resources: {requests: {cpu: '1'}}}]", PodSpec.class),
          List.of());

  private final SearchMemories memories = new SearchMemories();
  private final QuotaGate gate = new QuotaGate(memories);
  private final Set<SearchMemory> deleted = new HashSet<>();
  private final Predicate<SearchMemory> present = m -> !deleted.contains(m);

  private SearchMemory search(String name) {
    GridSearch gs = new GridSearch();
    ObjectMeta meta = new ObjectMeta();
    meta.setName(name);
    meta.setNamespace("ml");
    meta.setUid("uid-" + name);
    gs.setMetadata(meta);
    return memories.of(gs);
  }

  private static QuotaHeadroom.Footprint using(String cpu) {
    return new QuotaHeadroom.Footprint(Map.of("requests.cpu", new BigDecimal(cpu)), Map.of());
  }

  private QuotaGate.Decision decide(SearchMemory search, int wanted, String cpuInUse) {
    return gate.decide(search, wanted, List.of(QUOTA), ONE_CPU, 1, using(cpuInUse), present);
  }

  /** a launched long ago and waits; b launched since and would wait behind it. */
  private SearchMemory[] aWaitingAheadOfB() {
    SearchMemory a = search("a");
    SearchMemory b = search("b");
    gate.launched(a, List.of("job-a"), Map.of(), T0);
    gate.launched(b, List.of("job-b"), Map.of(), T0.plusSeconds(10));
    assertThat(decide(a, 1, "2").allowed()).isZero(); // the quota is full: a waits
    QuotaGate.Decision behind = decide(b, 1, "1");
    assertThat(behind.allowed()).isZero();
    assertThat(behind.why()).hasValueSatisfying(w -> assertThat(w).contains("behind 1 search"));
    return new SearchMemory[] {a, b};
  }

  @Test
  void theSearchThatLaunchedLeastRecentlyGoesFirst() {
    SearchMemory[] ab = aWaitingAheadOfB();
    assertThat(decide(ab[0], 1, "1").allowed()).isEqualTo(1);
    assertThat(decide(ab[1], 1, "1").allowed()).isEqualTo(1);
  }

  @Test
  void nobodyWaitsBehindADeletedSearch() {
    SearchMemory[] ab = aWaitingAheadOfB();
    deleted.add(ab[0]); // a is deleted mid-wait: it never reconciles again
    assertThat(decide(ab[1], 1, "1").allowed()).isEqualTo(1);
    memories.sweep(id -> java.util.Optional.empty(), T0.plusSeconds(60));
    assertThat(memories.size()).isZero();
  }

  @Test
  void nobodyWaitsBehindASuspendedOrFinishedSearch() {
    SearchMemory[] ab = aWaitingAheadOfB();
    gate.leave(ab[0]); // a is suspended (or finished): it leaves the queue
    assertThat(decide(ab[1], 1, "1").allowed()).isEqualTo(1);
  }

  @Test
  void jobsNotListedYetAreChargedByUidAndOnlyForTheirOwnSearch() {
    SearchMemory a = search("a");
    SearchMemory ab = search("a-b"); // a name that extends the other's, as a prefix would confuse
    gate.launched(a, List.of("uid-1"), Map.of("requests.cpu", BigDecimal.ONE), T0);
    gate.launched(ab, List.of("uid-2"), Map.of("requests.cpu", BigDecimal.ONE), T0);
    gate.leave(a);
    assertThat(gate.notYetListed("ml", Set.of(), T0.plusSeconds(1)))
        .containsEntry("requests.cpu", BigDecimal.ONE);
    assertThat(gate.notYetListed("ml", Set.of("uid-2"), T0.plusSeconds(1))).isEmpty();
  }
}
