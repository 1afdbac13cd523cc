package dev.gridsearch.operator.reconcile;

import dev.gridsearch.operator.api.GridSearch;
import dev.gridsearch.operator.api.GridSearchStatus;
import dev.gridsearch.operator.api.GridSearchStatus.Phase;
import dev.gridsearch.operator.grid.Grid;
import dev.gridsearch.operator.plan.Plan;
import dev.gridsearch.operator.results.ResultShards.ShardWrite;
import dev.gridsearch.operator.trial.TrialNames;
import dev.gridsearch.operator.trial.TrialRenderer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
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
import java.time.Instant;
import java.time.Duration;
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

/** Carries out a {@link Plan} against the API server, and tells the caches about its own writes at once. */
public final class PlanActor {
  private static final Logger LOG = LoggerFactory.getLogger(PlanActor.class);
  private static final PatchContext MERGE = PatchContext.of(PatchType.JSON_MERGE);

  private final KubernetesClient client;
  private final Clock clock;

  /** Requests in flight at once for one reconcile's deletions and creations: one by one, a reconcile took seconds. */
  static final int IN_FLIGHT = 16;
  /** A failed creation is tried again this many times before the launch stops there. */
  private static final int CREATE_ATTEMPTS = 3;

  private final ExecutorService requests;
  /** Deletions have threads of their own, so they never hold up a reconcile's creations. */
  private final ExecutorService deletions;
  /** How long a Job whose deletion was asked is not asked again. */
  static final Duration DELETE_RECHECK = Duration.ofSeconds(30);
  private final Map<String, Instant> deleted = bounded(10_000, false);
  static final java.time.Duration EVENT_RECHECK = java.time.Duration.ofSeconds(30);
  private final Map<String, FailedCreate> failedCreates = bounded(1000, true);

  public PlanActor(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
    this.requests = Executors.newFixedThreadPool(IN_FLIGHT, daemon("gridsearch-requests"));
    this.deletions = Executors.newFixedThreadPool(IN_FLIGHT / 2, daemon("gridsearch-deletions"));
  }

  TrialRenderer renderer(GridSearch search, Grid grid) {
    return new TrialRenderer(search, grid, client.getKubernetesSerialization());
  }

  /** What was done: how many of the planned launches were created, and the first failure if any. */
  record Launches(int created, Optional<RuntimeException> failure) {}

  /**
   * Starts the record writes and returns them in flight, so the launches need not wait for them. Each Job is
   * deleted only once its record is stored, and only an ending search waits for that. Suspensions happen at once.
   */
  CompletableFuture<Void> applyAllButLaunches(GridSearch search, Plan plan, Context<GridSearch> context) {
    String ns = search.getMetadata().getNamespace();
    ResourceID primary = ResourceID.fromResource(search);
    InformerEventSource<ConfigMap, GridSearch> shards = eventSource(context, ConfigMap.class,
        GridSearchReconciler.RESULTS);
    CompletableFuture<Void> recorded = plan.writes().isEmpty() ? CompletableFuture.completedFuture(null)
        : CompletableFuture.runAsync(() -> {
          for (ShardWrite write : plan.writes()) {
            // The cache takes our write only with the version it replaced: else it ignores it, and the next
            // reconcile would see the Jobs gone but not their records, and go to the API server to find out why.
            Optional<ConfigMap> before = shards.get(new ResourceID(write.name(), ns));
            ConfigMap written = write.create() ? createShard(search, write) : appendToShard(ns, write);
            if (before.isPresent()) {
              shards.handleRecentResourceUpdate(primary, written, before.get());
            } else {
              shards.handleRecentResourceCreate(primary, written);
            }
          }
        }, requests);
    CompletableFuture<Void> deleted = plan.delete().isEmpty() ? recorded : recorded.thenCompose(done ->
        CompletableFuture.allOf(plan.delete().stream().map(job -> delete(ns, job)).toArray(CompletableFuture[]::new)));
    plan.suspend().forEach(job -> setSuspended(ns, job, true));
    plan.resume().forEach(job -> setSuspended(ns, job, false));
    // A search that ends says so only once the trials it stopped are gone.
    Phase phase = plan.status().phase();
    return phase == Phase.Succeeded || phase == Phase.Failed ? deleted : recorded;
  }

  /**
   * Deletes a finished Job in the background, once: a Job stays in the cache until its deletion is watched, and the
   * reconciles in between would ask again. A failed deletion is forgotten, so the next reconcile asks again.
   */
  private CompletableFuture<Void> delete(String ns, String job) {
    String key = ns + "/" + job;
    Instant now = clock.instant();
    synchronized (deleted) {
      Instant asked = deleted.get(key);
      if (asked != null && asked.plus(DELETE_RECHECK).isAfter(now)) {
        return CompletableFuture.completedFuture(null);
      }
      deleted.put(key, now);
    }
    return CompletableFuture.runAsync(() -> {
      try {
        client.batch().v1().jobs().inNamespace(ns).withName(job)
            .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
      } catch (RuntimeException e) {
        LOG.warn("{}: deleting Job {} failed (asked again on the next reconcile): {}", ns, job, e.getMessage());
        synchronized (deleted) {
          deleted.remove(key);
        }
      }
    }, deletions);
  }

  /** Waits for what {@link #applyAllButLaunches} started, rethrowing its failure (the reconcile is then retried). */
  static void await(CompletableFuture<Void> recorded) {
    try {
      recorded.join();
    } catch (java.util.concurrent.CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  /**
   * Creates the planned trials, several at a time, and counts them in index order up to the first that failed
   * every attempt; AlreadyExists counts as created.
   */
  Launches launch(GridSearch search, Plan plan, TrialRenderer renderer, Context<GridSearch> context) {
    ResourceID primary = ResourceID.fromResource(search);
    InformerEventSource<Job, GridSearch> jobs = eventSource(context, Job.class, GridSearchReconciler.JOBS);
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
    List<Future<Optional<Job>>> results = rendered.stream()
        .map(job -> requests.submit(() -> create(ns, job))).toList();
    int created = 0;
    for (int i = 0; i < results.size(); i++) {
      try {
        results.get(i).get().ifPresent(job -> jobs.handleRecentResourceCreate(primary, job));
      } catch (ExecutionException e) {
        RuntimeException cause = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e);
        waitForRest(results, i + 1);
        return failed(search, plan.launch().get(i), created, cause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return failed(search, plan.launch().get(i), created, new IllegalStateException("interrupted", e));
      }
      created++;
    }
    return renderFailure.isPresent() ? failed(search, plan.launch().get(created), created, renderFailure.get())
        : new Launches(created, Optional.empty());
  }

  /** The created Job, or empty when it already existed; transient failures are tried again. */
  private Optional<Job> create(String ns, Job job) {
    for (int attempt = 1; ; attempt++) {
      try {
        return Optional.of(client.batch().v1().jobs().inNamespace(ns).resource(job).create());
      } catch (KubernetesClientException e) {
        if (e.getCode() == 409) {
          return Optional.empty();
        }
        if (attempt >= CREATE_ATTEMPTS || (e.getCode() >= 400 && e.getCode() < 500 && e.getCode() != 429)) {
          throw e;
        }
      }
    }
  }

  /** Later creations may have succeeded; they are live Jobs the next reconcile sees, so only wait for them. */
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

  /** A map that forgets its eldest entry (by insertion, or by access) beyond {@code max}. */
  static <V> Map<String, V> bounded(int max, boolean accessOrder) {
    return new java.util.LinkedHashMap<>(16, 0.75f, accessOrder) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
        return size() > max;
      }
    };
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  private static Launches failed(GridSearch search, long index, int created, RuntimeException e) {
    LOG.warn("{}/{}: creating trial {} failed: {}", search.getMetadata().getNamespace(),
        search.getMetadata().getName(), index, e.getMessage());
    return new Launches(created, Optional.of(e));
  }

  private ConfigMap createShard(GridSearch search, ShardWrite write) {
    ConfigMap cm = new ConfigMapBuilder()
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
        return appendToShard(search.getMetadata().getNamespace(), write);
      }
      throw e;
    }
  }

  /** A merge patch adds this round's keys without touching the others: no read, no conflict. */
  private ConfigMap appendToShard(String ns, ShardWrite write) {
    ConfigMap patch = new ConfigMapBuilder().withData(write.entries()).build();
    return client.configMaps().inNamespace(ns).withName(write.name()).patch(MERGE, patch);
  }

  private void setSuspended(String ns, String job, boolean suspended) {
    try {
      client.batch().v1().jobs().inNamespace(ns).withName(job)
          .patch(MERGE, "{\"spec\":{\"suspend\":" + suspended + "}}");
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }

  /** The search's shards straight from the API server, for when the cache may lag. */
  List<ConfigMap> readShards(GridSearch search) {
    return client.configMaps().inNamespace(search.getMetadata().getNamespace())
        .withLabel(GridSearch.NAME_LABEL, search.getMetadata().getName()).list().getItems();
  }

  Optional<Job> readJob(GridSearch search, long index) {
    return Optional.ofNullable(client.batch().v1().jobs().inNamespace(search.getMetadata().getNamespace())
        .withName(TrialNames.jobName(search.getMetadata().getName(), index)).get());
  }

  /**
   * The latest FailedCreate event of a trial Job (why its pods are refused), when there is one. Read from the API
   * server at most once per job and {@link #EVENT_RECHECK}, since every reconcile of a waiting search asks.
   */
  Optional<String> lastFailedCreate(GridSearch search, String job) {
    Instant now = clock.instant();
    String key = search.getMetadata().getNamespace() + "/" + job;
    synchronized (failedCreates) {
      FailedCreate known = failedCreates.get(key);
      if (known != null && known.readAt().plus(EVENT_RECHECK).isAfter(now)) {
        return known.message();
      }
    }
    Optional<String> message = client.v1().events().inNamespace(search.getMetadata().getNamespace())
        .withField("involvedObject.name", job).list().getItems().stream()
        .filter(e -> "FailedCreate".equals(e.getReason()))
        .max(java.util.Comparator.comparing(e -> String.valueOf(e.getLastTimestamp())))
        .map(e -> "FailedCreate: " + e.getMessage());
    synchronized (failedCreates) {
      failedCreates.put(key, new FailedCreate(now, message));
    }
    return message;
  }

  private record FailedCreate(Instant readAt, Optional<String> message) {}

  /** An Event on the GridSearch when its phase changes; never per trial. */
  void recordTransition(GridSearch search, GridSearchStatus status) {
    Phase before = search.getStatus() == null ? null : search.getStatus().phase();
    if (status.phase() == before) {
      return;
    }
    var ready = status.conditions().stream().filter(c -> "Ready".equals(c.getType())).findFirst();
    String reason = status.conditions().stream()
        .filter(c -> List.of("Complete", "Failed").contains(c.getType()) && "True".equals(c.getStatus()))
        .map(c -> c.getReason()).findFirst().orElse(status.phase().name());
    String message = ready.map(c -> c.getMessage()).orElse(status.phase().name());
    String now = clock.instant().toString();
    try {
      client.v1().events().inNamespace(search.getMetadata().getNamespace()).resource(new EventBuilder()
          .withNewMetadata()
            .withName(search.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 8))
          .endMetadata()
          .withInvolvedObject(new ObjectReferenceBuilder().withApiVersion(search.getApiVersion())
              .withKind(search.getKind()).withName(search.getMetadata().getName())
              .withNamespace(search.getMetadata().getNamespace()).withUid(search.getMetadata().getUid()).build())
          .withReason(reason)
          .withMessage("phase " + (before == null ? "-" : before) + " -> " + status.phase() + ": " + message)
          .withType(status.phase() == Phase.Failed ? "Warning" : "Normal")
          .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
          .withNewSource().withComponent("gridsearch-operator").endSource()
          .build()).create();
    } catch (KubernetesClientException e) {
      LOG.warn("could not record an event for {}/{}: {}", search.getMetadata().getNamespace(),
          search.getMetadata().getName(), e.getMessage());
    }
  }

  @SuppressWarnings("unchecked")
  static <R extends io.fabric8.kubernetes.api.model.HasMetadata> InformerEventSource<R, GridSearch>
      eventSource(Context<GridSearch> context, Class<R> type, String name) {
    return (InformerEventSource<R, GridSearch>) context.eventSourceRetriever().getEventSourceFor(type, name);
  }
}
