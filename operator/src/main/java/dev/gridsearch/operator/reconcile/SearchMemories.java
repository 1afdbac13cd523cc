package dev.gridsearch.operator.reconcile;

import dev.gridsearch.operator.api.GridSearch;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The {@link SearchMemory} of every search this process reconciles, by identity and checked against
 * the UID: a search deleted and created again under its name starts afresh. A search's memory goes
 * with its delete event, and a sweep against the primary cache catches any missed; no finalizer
 * (JOSDK's Cleaner) is needed for that, so a GridSearch stays deletable while the operator is down
 * or uninstalled.
 */
final class SearchMemories {
  /** How often the memories are checked against the primary cache. */
  static final Duration SWEEP_EVERY = Duration.ofSeconds(10);

  private final Map<ResourceID, SearchMemory> byId = new ConcurrentHashMap<>();
  private volatile Instant lastSweep = Instant.EPOCH;

  /**
   * This search's memory, fresh when there was none or it belonged to an earlier search of the same
   * name.
   */
  SearchMemory of(GridSearch search) {
    ResourceID id = ResourceID.fromResource(search);
    String uid = search.getMetadata().getUid();
    return byId.compute(
        id,
        (k, known) -> known != null && known.uid.equals(uid) ? known : new SearchMemory(k, uid));
  }

  /** The memories of the searches of one namespace. */
  List<SearchMemory> inNamespace(String namespace) {
    return byId.values().stream().filter(m -> m.namespace().equals(namespace)).toList();
  }

  void release(ResourceID id) {
    byId.remove(id);
  }

  /**
   * Releases the memory of every search the primary cache no longer holds under the same UID; at
   * most so often.
   */
  void sweep(Function<ResourceID, Optional<GridSearch>> primary, Instant now) {
    if (lastSweep.plus(SWEEP_EVERY).isAfter(now)) {
      return;
    }
    lastSweep = now;
    byId.values().removeIf(m -> !present(m, primary));
  }

  /** Whether the search of {@code memory} still exists as that very object. */
  static boolean present(SearchMemory memory, Function<ResourceID, Optional<GridSearch>> primary) {
    return primary
        .apply(memory.id)
        .map(gs -> memory.uid.equals(gs.getMetadata().getUid()))
        .orElse(false);
  }

  int size() {
    return byId.size();
  }
}
