package dev.gridsearch.operator.reconcile;

import dev.gridsearch.operator.api.GridSearchStatus;
import dev.gridsearch.operator.results.ShardSummary;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * All the operator keeps in memory about one search between its reconciles, in one place so that it
 * goes when the search goes. Everything here can be rebuilt from the cluster; losing it (a restart)
 * costs API reads, not results. One reconcile of a search runs at a time (JOSDK); the quota fields
 * are read by other searches of the namespace and are guarded by {@link QuotaGate}'s namespace
 * lock.
 */
final class SearchMemory {
  final ResourceID id;
  final String uid;

  /**
   * The status computed last and not written yet, and since when it waits (see {@link
   * StatusWrites}).
   */
  GridSearchStatus heldStatus;

  Instant heldSince;

  /** Quota turns: when this search last launched, and whether it waits for room now. */
  Instant lastLaunch = Instant.EPOCH;

  boolean waitingForQuota;

  /**
   * Jobs created here that the informer may not list yet, by UID, with what they will charge and
   * when.
   */
  final Map<String, Created> notYetListed = new HashMap<>();

  /**
   * Jobs (by UID) whose deletion was asked, and when: asked again only after {@link
   * PlanActor#DELETE_RECHECK}.
   */
  final Map<String, Instant> deletionAsked = new ConcurrentHashMap<>();

  /** The latest FailedCreate event of a waiting trial Job, by Job name, as read at a time. */
  final Map<String, FailedCreate> failedCreates = new ConcurrentHashMap<>();

  /**
   * The checks before trial 0, once they have run (the template is immutable): empty when it
   * passed.
   */
  Optional<String> validation;

  /** Parsed results shards by name, each for one resourceVersion. */
  final Map<String, ShardSummary> shards = new ConcurrentHashMap<>();

  /**
   * The pods of each trial seen disrupted (evicted, preempted, lost with a node), by trial index.
   */
  final Map<Long, Set<String>> disruptedPods = new ConcurrentHashMap<>();

  /** The last API error reported on the status, so that a retried error is not reported again. */
  String reportedError;

  record Created(Map<String, BigDecimal> charges, Instant at) {}

  record FailedCreate(Instant readAt, Optional<String> message) {}

  SearchMemory(ResourceID id, String uid) {
    this.id = id;
    this.uid = uid;
  }

  String namespace() {
    return id.getNamespace().orElse("");
  }
}
