package dev.gridsearch.operator.reconcile;

import dev.gridsearch.operator.quota.PodDemand;
import dev.gridsearch.operator.quota.QuotaHeadroom;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Launching against ResourceQuotas, one namespace at a time (so two searches never spend the same headroom), and
 * fairly: while searches wait for room, the one that launched least recently goes first.
 */
final class QuotaGate {
  private final Map<String, Object> locks = new ConcurrentHashMap<>();
  /** Per namespace (each inner map guarded by its namespace's lock): when each search last launched, ... */
  private final Map<String, Map<ResourceID, Instant>> lastLaunch = new ConcurrentHashMap<>();
  /** ... which searches wait for room ... */
  private final Map<String, Map<ResourceID, Instant>> waiting = new ConcurrentHashMap<>();
  /** ... and the Jobs created here that the informer may not list yet, with what they will charge and when. */
  private final Map<String, Map<String, Created>> created = new ConcurrentHashMap<>();
  /** The informer lists a new Job well within this; a Job created and gone before we saw it listed expires. */
  static final java.time.Duration LISTING_LAG = java.time.Duration.ofSeconds(15);

  private record Created(Map<String, BigDecimal> charges, Instant at) {}

  record Decision(int allowed, Optional<String> why) {}

  <T> T inNamespace(String namespace, Supplier<T> body) {
    synchronized (locks.computeIfAbsent(namespace, k -> new Object())) {
      return body.get();
    }
  }

  /** How many of {@code wanted} trials this search may launch now. Call inside {@link #inNamespace}. */
  Decision decide(ResourceID search, int wanted, List<ResourceQuota> quotas, PodDemand pod, int podsPerTrial,
      QuotaHeadroom.Footprint ours) {
    String ns = search.getNamespace().orElse("");
    Map<ResourceID, Instant> waiters = waiting.computeIfAbsent(ns, k -> new HashMap<>());
    if (quotas.isEmpty() || wanted == 0) {
      waiters.remove(search);
      return new Decision(wanted, Optional.empty());
    }
    Instant mine = lastLaunch.computeIfAbsent(ns, k -> new HashMap<>()).getOrDefault(search, Instant.EPOCH);
    long ahead = waiters.entrySet().stream()
        .filter(e -> !e.getKey().equals(search) && e.getValue().isBefore(mine)).count();
    QuotaHeadroom.Fit fit = new QuotaHeadroom(quotas).fit(pod, podsPerTrial, ours, wanted);
    int allowed = ahead > 0 ? 0 : fit.trials();
    if (allowed >= wanted) {
      waiters.remove(search);
      return new Decision(wanted, Optional.empty());
    }
    waiters.put(search, mine);
    String why = fit.shortage().map(QuotaHeadroom.Shortage::describe).orElse("the namespace's quota has room");
    if (ahead > 0) {
      why += "; waiting for its turn behind " + ahead + " search" + (ahead == 1 ? "" : "es")
          + " that launched less recently";
    }
    return new Decision(allowed, Optional.of(why));
  }

  /**
   * Forgets created Jobs the informer lists now (the caller's footprint counts those), and any older than the
   * listing lag. Every reconcile calls it with its own Jobs, so a search's entries go as soon as it sees them.
   */
  void listed(String namespace, Set<String> jobs, Instant now) {
    inNamespace(namespace, () -> prune(namespace, jobs, now));
  }

  /** What Jobs created here and not listed yet will charge. Call inside {@link #inNamespace}. */
  Map<String, BigDecimal> notYetListed(String namespace, Set<String> listed, Instant now) {
    Map<String, BigDecimal> total = new HashMap<>();
    prune(namespace, listed, now).values().forEach(c -> QuotaHeadroom.accumulate(total, c.charges()));
    return total;
  }

  private Map<String, Created> prune(String namespace, Set<String> listed, Instant now) {
    Map<String, Created> jobs = created.computeIfAbsent(namespace, k -> new HashMap<>());
    jobs.entrySet().removeIf(e -> listed.contains(e.getKey()) || e.getValue().at().plus(LISTING_LAG).isBefore(now));
    return jobs;
  }

  /** Records launches: for the turn order, and as charges until the informer lists them. Inside the lock. */
  void launched(ResourceID search, List<String> jobs, Map<String, BigDecimal> charges, Instant now) {
    int trials = jobs.size();
    jobs.forEach(job -> created.computeIfAbsent(search.getNamespace().orElse(""), k -> new HashMap<>())
        .put(job, new Created(charges, now)));
    if (trials > 0) {
      String ns = search.getNamespace().orElse("");
      lastLaunch.computeIfAbsent(ns, k -> new HashMap<>()).put(search, now);
      Map<ResourceID, Instant> waiters = waiting.get(ns);
      if (waiters != null && waiters.containsKey(search)) {
        waiters.put(search, now);
      }
    }
  }

  /** A finished or deleted search no longer takes turns. */
  void forget(ResourceID search) {
    inNamespace(search.getNamespace().orElse(""), () -> {
      String ns = search.getNamespace().orElse("");
      Optional.ofNullable(waiting.get(ns)).ifPresent(m -> m.remove(search));
      Optional.ofNullable(lastLaunch.get(ns)).ifPresent(m -> m.remove(search));
      Optional.ofNullable(created.get(ns)).ifPresent(m -> m.keySet().removeIf(
          job -> job.startsWith(search.getName() + "-")));
      return null;
    });
  }
}
