package dev.gridsearch.operator.reconcile;

import dev.gridsearch.operator.quota.PodDemand;
import dev.gridsearch.operator.quota.QuotaHeadroom;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Launching against ResourceQuotas, one namespace at a time (so two searches never spend the same
 * headroom), and fairly: while searches wait for room, the one that launched least recently goes
 * first. What each search holds here lives in its {@link SearchMemory}, so a deleted search takes
 * its place in the queue with it.
 */
final class QuotaGate {
  /**
   * The informer lists a new Job well within this; a Job created and gone before we saw it listed
   * expires.
   */
  static final Duration LISTING_LAG = Duration.ofSeconds(15);

  private final SearchMemories memories;
  private final Map<String, Object> locks = new ConcurrentHashMap<>();

  QuotaGate(SearchMemories memories) {
    this.memories = memories;
  }

  record Decision(int allowed, Optional<String> why) {}

  <T> T inNamespace(String namespace, Supplier<T> body) {
    synchronized (locks.computeIfAbsent(namespace, k -> new Object())) {
      return body.get();
    }
  }

  /**
   * How many of {@code wanted} trials this search may launch now. Only searches that still exist as
   * the same object ({@code present}) and still wait count as ahead in the queue. Call inside
   * {@link #inNamespace}.
   */
  Decision decide(
      SearchMemory search,
      int wanted,
      List<ResourceQuota> quotas,
      PodDemand pod,
      int podsPerTrial,
      QuotaHeadroom.Footprint ours,
      Predicate<SearchMemory> present) {
    if (quotas.isEmpty() || wanted == 0) {
      search.waitingForQuota = false;
      return new Decision(wanted, Optional.empty());
    }
    long ahead =
        memories.inNamespace(search.namespace()).stream()
            .filter(
                m -> m != search && m.waitingForQuota && m.lastLaunch.isBefore(search.lastLaunch))
            .filter(present)
            .count();
    QuotaHeadroom.Fit fit = new QuotaHeadroom(quotas).fit(pod, podsPerTrial, ours, wanted);
    int allowed = ahead > 0 ? 0 : fit.trials();
    search.waitingForQuota = allowed < wanted;
    if (!search.waitingForQuota) {
      return new Decision(wanted, Optional.empty());
    }
    String why =
        fit.shortage()
            .map(QuotaHeadroom.Shortage::describe)
            .orElse("the namespace's quota has room");
    if (ahead > 0) {
      why +=
          "; waiting for its turn behind "
              + ahead
              + " search"
              + (ahead == 1 ? "" : "es")
              + " that launched less recently";
    }
    return new Decision(allowed, Optional.of(why));
  }

  /** A suspended, finished or quota-free search leaves the queue, so nobody waits behind it. */
  void leave(SearchMemory search) {
    inNamespace(
        search.namespace(),
        () -> {
          search.waitingForQuota = false;
          search.notYetListed.clear();
          return null;
        });
  }

  /**
   * Forgets this search's created Jobs that the informer lists now (by UID; the caller's footprint
   * counts those), and any older than the listing lag.
   */
  void listed(SearchMemory search, Set<String> listedUids, Instant now) {
    inNamespace(
        search.namespace(),
        () -> {
          prune(search, listedUids, now);
          return null;
        });
  }

  /**
   * What Jobs created here and not listed yet will charge, over the namespace. Call inside {@link
   * #inNamespace}.
   */
  Map<String, BigDecimal> notYetListed(String namespace, Set<String> listedUids, Instant now) {
    Map<String, BigDecimal> total = new HashMap<>();
    for (SearchMemory m : memories.inNamespace(namespace)) {
      prune(m, listedUids, now);
      m.notYetListed.values().forEach(c -> QuotaHeadroom.accumulate(total, c.charges()));
    }
    return total;
  }

  private static void prune(SearchMemory search, Set<String> listedUids, Instant now) {
    search
        .notYetListed
        .entrySet()
        .removeIf(
            e ->
                listedUids.contains(e.getKey())
                    || e.getValue().at().plus(LISTING_LAG).isBefore(now));
  }

  /**
   * Records launches (Job UIDs): for the turn order, and as charges until the informer lists them.
   * Inside the lock.
   */
  void launched(
      SearchMemory search, List<String> jobUids, Map<String, BigDecimal> charges, Instant now) {
    jobUids.forEach(uid -> search.notYetListed.put(uid, new SearchMemory.Created(charges, now)));
    if (!jobUids.isEmpty()) {
      search.lastLaunch = now;
    }
  }
}
