package dev.gridsearch.operator.reconcile;

import dev.gridsearch.operator.api.GridSearch;
import dev.gridsearch.operator.api.GridSearchConditions;
import dev.gridsearch.operator.api.GridSearchStatus;
import dev.gridsearch.operator.api.GridSearchStatus.Phase;
import dev.gridsearch.operator.grid.Grid;
import dev.gridsearch.operator.observe.NameConflict;
import dev.gridsearch.operator.observe.Ownership;
import dev.gridsearch.operator.plan.Plan;
import dev.gridsearch.operator.results.ResultShards.ShardWrite;
import dev.gridsearch.operator.trial.TrialNames;
import dev.gridsearch.operator.trial.TrialRenderer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out a {@link Plan} against the API server, and tells the caches about its own writes at
 * once.
 */
public final class PlanActor {
  private static final Logger LOG = LoggerFactory.getLogger(PlanActor.class);
  private static final PatchContext MERGE = PatchContext.of(PatchType.JSON_MERGE);

  private final KubernetesClient client;
  private final Clock clock;

  /**
   * Requests in flight at once for one reconcile's deletions and creations: one by one, a reconcile
   * took seconds.
   */
  static final int IN_FLIGHT = 16;

  /** A failed creation is tried again this many times before the launch stops there. */
  private static final int CREATE_ATTEMPTS = 3;

  private final ExecutorService requests;

  /** Deletions have threads of their own, so they never hold up a reconcile's creations. */
  private final ExecutorService deletions;

  /** How long a Job whose deletion was asked is not asked again. */
  static final Duration DELETE_RECHECK = Duration.ofSeconds(30);

  static final Duration EVENT_RECHECK = Duration.ofSeconds(30);

  public PlanActor(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
    this.requests = Executors.newFixedThreadPool(IN_FLIGHT, daemon("gridsearch-requests"));
    this.deletions = Executors.newFixedThreadPool(IN_FLIGHT / 2, daemon("gridsearch-deletions"));
  }

  TrialRenderer renderer(GridSearch search, Grid grid) {
    return new TrialRenderer(search, grid, client.getKubernetesSerialization());
  }

  /**
   * What was done: how many of the planned launches were created (in index order, with their Jobs'
   * UIDs), the first failure if any, and the object of someone else's that stopped them, if one
   * did.
   */
  record Launches(
      int created,
      List<String> uids,
      Optional<RuntimeException> failure,
      Optional<String> nameConflict) {}

  /**
   * Starts the record writes and returns them in flight, so the launches need not wait for them.
   * Each Job is deleted only once its record is stored, and only an ending search waits for that.
   * Suspensions happen at once.
   */
  CompletableFuture<Void> applyAllButLaunches(
      GridSearch search,
      SearchMemory memory,
      Plan plan,
      Map<String, String> jobUids,
      Context<GridSearch> context) {
    String ns = search.getMetadata().getNamespace();
    ResourceID primary = ResourceID.fromResource(search);
    InformerEventSource<ConfigMap, GridSearch> shards =
        eventSource(context, ConfigMap.class, GridSearchReconciler.RESULTS);
    CompletableFuture<Void> recorded =
        plan.writes().isEmpty()
            ? CompletableFuture.completedFuture(null)
            : CompletableFuture.runAsync(
                () -> {
                  for (ShardWrite write : plan.writes()) {
                    // The cache takes our write only with the version it replaced: else it ignores
                    // it, and the next
                    // reconcile would see the Jobs gone but not their records, and go to the API
                    // server to find out why.
                    Optional<ConfigMap> before = shards.get(new ResourceID(write.name(), ns));
                    ConfigMap written =
                        write.create() || before.isEmpty()
                            ? createShard(search, write)
                            : appendToShard(before.get(), write);
                    if (before.isPresent()) {
                      shards.handleRecentResourceUpdate(primary, written, before.get());
                    } else {
                      shards.handleRecentResourceCreate(primary, written);
                    }
                  }
                },
                requests);
    CompletableFuture<Void> deleted =
        plan.delete().isEmpty()
            ? recorded
            : recorded.thenCompose(
                done ->
                    CompletableFuture.allOf(
                        plan.delete().stream()
                            .map(job -> delete(ns, job, jobUids.get(job), memory))
                            .toArray(CompletableFuture[]::new)));
    plan.suspend().forEach(job -> setSuspended(ns, job, jobUids.get(job), true));
    plan.resume().forEach(job -> setSuspended(ns, job, jobUids.get(job), false));
    // A search that ends says so only once the trials it stopped are gone.
    Phase phase = plan.status().phase();
    return phase == Phase.Succeeded || phase == Phase.Failed ? deleted : recorded;
  }

  /**
   * Deletes a finished Job in the background, once: a Job stays in the cache until its deletion is
   * watched, and the reconciles in between would ask again. A failed deletion is forgotten, so the
   * next reconcile asks again.
   */
  private CompletableFuture<Void> delete(String ns, String job, String uid, SearchMemory memory) {
    if (uid == null) {
      // Known only from an API read, not yet cached with its UID: deleted once the cache lists it.
      return CompletableFuture.completedFuture(null);
    }
    Instant now = clock.instant();
    Instant asked = memory.deletionAsked.get(uid);
    if (asked != null && asked.plus(DELETE_RECHECK).isAfter(now)) {
      return CompletableFuture.completedFuture(null);
    }
    memory.deletionAsked.put(uid, now);
    // Deletions asked long ago are of Jobs gone by now (a Job is asked again only if it is still
    // listed).
    memory
        .deletionAsked
        .values()
        .removeIf(at -> at.plus(DELETE_RECHECK.multipliedBy(4)).isBefore(now));
    return CompletableFuture.runAsync(
        () -> {
          try {
            if (JobDeletion.delete(client, ns, job, uid) == JobDeletion.Outcome.NOT_OURS) {
              LOG.warn("{}: Job {} now belongs to someone else; left alone", ns, job);
            }
          } catch (RuntimeException e) {
            LOG.warn(
                "{}: deleting Job {} failed (asked again on the next reconcile): {}",
                ns,
                job,
                e.getMessage());
            memory.deletionAsked.remove(uid);
          }
        },
        deletions);
  }

  /**
   * Waits for what {@link #applyAllButLaunches} started, rethrowing its failure (the reconcile is
   * then retried).
   */
  static void await(CompletableFuture<Void> recorded) {
    try {
      recorded.join();
    } catch (java.util.concurrent.CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  /**
   * Creates the planned trials, several at a time, and counts them in index order up to the first
   * that failed every attempt. AlreadyExists counts as created only when the existing Job is ours.
   */
  Launches launch(
      GridSearch search, Plan plan, TrialRenderer renderer, Context<GridSearch> context) {
    ResourceID primary = ResourceID.fromResource(search);
    InformerEventSource<Job, GridSearch> jobs =
        eventSource(context, Job.class, GridSearchReconciler.JOBS);
    String ns = search.getMetadata().getNamespace();
    List<Job> rendered = new java.util.ArrayList<>();
    Optional<RuntimeException> renderFailure = Optional.empty();
    for (long index : plan.launch()) {
      try {
        rendered.add(renderer.render(index));
      } catch (IllegalArgumentException e) {
        renderFailure = Optional.of(e);
        break;
      }
    }
    List<Future<Job>> results =
        rendered.stream().map(job -> requests.submit(() -> create(search, job))).toList();
    List<String> uids = new java.util.ArrayList<>();
    for (int i = 0; i < results.size(); i++) {
      try {
        Job job = results.get(i).get();
        jobs.handleRecentResourceCreate(primary, job);
        uids.add(job.getMetadata().getUid());
      } catch (ExecutionException e) {
        RuntimeException cause =
            e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e);
        waitForRest(results, i + 1);
        return failed(search, plan.launch().get(i), uids, cause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return failed(
            search, plan.launch().get(i), uids, new IllegalStateException("interrupted", e));
      }
    }
    return renderFailure.isPresent()
        ? failed(search, plan.launch().get(uids.size()), uids, renderFailure.get())
        : new Launches(uids.size(), uids, Optional.empty(), Optional.empty());
  }

  /** The created Job, or the existing one when it is ours; transient failures are tried again. */
  private Job create(GridSearch search, Job job) {
    String ns = search.getMetadata().getNamespace();
    for (int attempt = 1; ; attempt++) {
      try {
        return client.batch().v1().jobs().inNamespace(ns).resource(job).create();
      } catch (KubernetesClientException e) {
        if (e.getCode() == 409) {
          Job existing =
              client
                  .batch()
                  .v1()
                  .jobs()
                  .inNamespace(ns)
                  .withName(job.getMetadata().getName())
                  .get();
          if (existing != null) {
            return Ownership.requireOurs(existing, search);
          }
          if (attempt < CREATE_ATTEMPTS) {
            continue; // gone since: try again
          }
        }
        if (attempt >= CREATE_ATTEMPTS
            || (e.getCode() >= 400 && e.getCode() < 500 && e.getCode() != 429)) {
          throw e;
        }
      }
    }
  }

  /**
   * Later creations may have succeeded; they are live Jobs the next reconcile sees, so only wait
   * for them.
   */
  private static void waitForRest(List<? extends Future<?>> futures, int from) {
    for (int j = from; j < futures.size(); j++) {
      try {
        futures.get(j).get();
      } catch (ExecutionException ignored) {
        // reported through the first failure
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  private static Launches failed(
      GridSearch search, long index, List<String> uids, RuntimeException e) {
    LOG.warn(
        "{}/{}: creating trial {} failed: {}",
        search.getMetadata().getNamespace(),
        search.getMetadata().getName(),
        index,
        e.getMessage());
    return new Launches(
        uids.size(),
        uids,
        Optional.of(e),
        e instanceof NameConflict ? Optional.of(e.getMessage()) : Optional.empty());
  }

  private ConfigMap createShard(GridSearch search, ShardWrite write) {
    ConfigMap cm =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName(write.name())
            .withNamespace(search.getMetadata().getNamespace())
            .addToLabels(GridSearch.NAME_LABEL, search.getMetadata().getName())
            .withOwnerReferences(TrialRenderer.ownerReference(search))
            .endMetadata()
            .withData(write.entries())
            .build();
    try {
      return client.configMaps().resource(cm).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        ConfigMap existing =
            client
                .configMaps()
                .inNamespace(search.getMetadata().getNamespace())
                .withName(write.name())
                .get();
        if (existing != null) {
          return appendToShard(Ownership.requireOurs(existing, search), write);
        }
      }
      throw e;
    }
  }

  /**
   * A merge patch adds this round's keys without touching the others: no read, no conflict. The UID
   * in it makes the API server refuse it should the name now hold another object.
   */
  private ConfigMap appendToShard(ConfigMap ours, ShardWrite write) {
    ConfigMap patch =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withUid(ours.getMetadata().getUid())
            .endMetadata()
            .withData(write.entries())
            .build();
    return client
        .configMaps()
        .inNamespace(ours.getMetadata().getNamespace())
        .withName(write.name())
        .patch(MERGE, patch);
  }

  private void setSuspended(String ns, String job, String uid, boolean suspended) {
    try {
      client
          .batch()
          .v1()
          .jobs()
          .inNamespace(ns)
          .withName(job)
          .patch(
              MERGE,
              "{\"metadata\":{\"uid\":\"" + uid + "\"},\"spec\":{\"suspend\":" + suspended + "}}");
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }

  /** The search's own shards straight from the API server, for when the cache may lag. */
  List<ConfigMap> readShards(GridSearch search) {
    return client
        .configMaps()
        .inNamespace(search.getMetadata().getNamespace())
        .withLabel(GridSearch.NAME_LABEL, search.getMetadata().getName())
        .list()
        .getItems()
        .stream()
        .filter(cm -> Ownership.ours(cm, search))
        .toList();
  }

  /** Trial {@code index}'s Job from the API server, when it exists and is ours. */
  Optional<Job> readJob(GridSearch search, long index) {
    return Optional.ofNullable(
            client
                .batch()
                .v1()
                .jobs()
                .inNamespace(search.getMetadata().getNamespace())
                .withName(TrialNames.jobName(search.getMetadata().getName(), index))
                .get())
        .filter(job -> Ownership.ours(job, search));
  }

  /**
   * The latest FailedCreate event of a trial Job (why its pods are refused), when there is one.
   * Read from the API server at most once per job and {@link #EVENT_RECHECK}, since every reconcile
   * of a waiting search asks.
   */
  Optional<String> lastFailedCreate(GridSearch search, SearchMemory memory, String job) {
    Instant now = clock.instant();
    SearchMemory.FailedCreate known = memory.failedCreates.get(job);
    if (known != null && known.readAt().plus(EVENT_RECHECK).isAfter(now)) {
      return known.message();
    }
    Optional<String> message =
        client
            .v1()
            .events()
            .inNamespace(search.getMetadata().getNamespace())
            .withField("involvedObject.name", job)
            .list()
            .getItems()
            .stream()
            .filter(e -> "FailedCreate".equals(e.getReason()))
            .max(java.util.Comparator.comparing(e -> String.valueOf(e.getLastTimestamp())))
            .map(e -> "FailedCreate: " + e.getMessage());
    // Only the Jobs that wait now are kept.
    memory
        .failedCreates
        .values()
        .removeIf(f -> f.readAt().plus(EVENT_RECHECK.multipliedBy(4)).isBefore(now));
    memory.failedCreates.put(job, new SearchMemory.FailedCreate(now, message));
    return message;
  }

  /** An Event on the GridSearch when its phase changes; never per trial. */
  void recordTransition(GridSearch search, GridSearchStatus status) {
    Phase before = search.getStatus() == null ? null : search.getStatus().phase();
    if (status.phase() == before) {
      return;
    }
    var ready =
        status.conditions().stream()
            .filter(c -> GridSearchConditions.READY.equals(c.getType()))
            .findFirst();
    String reason =
        status.conditions().stream()
            .filter(
                c ->
                    List.of(GridSearchConditions.COMPLETE, GridSearchConditions.FAILED)
                            .contains(c.getType())
                        && "True".equals(c.getStatus()))
            .map(c -> c.getReason())
            .findFirst()
            .orElse(status.phase().name());
    String message = ready.map(c -> c.getMessage()).orElse(status.phase().name());
    event(
        search,
        status.phase() == Phase.Failed ? "Warning" : "Normal",
        reason,
        "phase " + (before == null ? "-" : before) + " -> " + status.phase() + ": " + message);
  }

  /**
   * A Warning Event on the GridSearch for a reconcile that failed on the API, once per distinct
   * message.
   */
  void recordProblem(GridSearch search, String reason, String message) {
    event(search, "Warning", reason, message);
  }

  private void event(GridSearch search, String type, String reason, String message) {
    String now = clock.instant().toString();
    try {
      client
          .v1()
          .events()
          .inNamespace(search.getMetadata().getNamespace())
          .resource(
              new EventBuilder()
                  .withNewMetadata()
                  .withName(
                      search.getMetadata().getName()
                          + "."
                          + UUID.randomUUID().toString().substring(0, 8))
                  .endMetadata()
                  .withInvolvedObject(
                      new ObjectReferenceBuilder()
                          .withApiVersion(search.getApiVersion())
                          .withKind(search.getKind())
                          .withName(search.getMetadata().getName())
                          .withNamespace(search.getMetadata().getNamespace())
                          .withUid(search.getMetadata().getUid())
                          .build())
                  .withReason(reason)
                  .withMessage(message)
                  .withType(type)
                  .withFirstTimestamp(now)
                  .withLastTimestamp(now)
                  .withCount(1)
                  .withNewSource()
                  .withComponent("gridsearch-operator")
                  .endSource()
                  .build())
          .create();
    } catch (KubernetesClientException e) {
      LOG.warn(
          "could not record an event for {}/{}: {}",
          search.getMetadata().getNamespace(),
          search.getMetadata().getName(),
          e.getMessage());
    }
  }

  @SuppressWarnings("unchecked")
  static <R extends io.fabric8.kubernetes.api.model.HasMetadata>
      InformerEventSource<R, GridSearch> eventSource(
          Context<GridSearch> context, Class<R> type, String name) {
    return (InformerEventSource<R, GridSearch>)
        context.eventSourceRetriever().getEventSourceFor(type, name);
  }
}
