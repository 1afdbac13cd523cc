package dev.gridsearch.operator.reconcile;

import dev.gridsearch.operator.api.GridSearch;
import dev.gridsearch.operator.api.GridSearchConditions;
import dev.gridsearch.operator.api.GridSearchConditions.Reason;
import dev.gridsearch.operator.api.GridSearchStatus;
import dev.gridsearch.operator.api.GridSearchStatus.Phase;
import dev.gridsearch.operator.grid.Grid;
import dev.gridsearch.operator.metrics.GridSearchMetrics;
import dev.gridsearch.operator.observe.NameConflict;
import dev.gridsearch.operator.observe.Observation;
import dev.gridsearch.operator.observe.Observer;
import dev.gridsearch.operator.observe.Ownership;
import dev.gridsearch.operator.observe.Reads;
import dev.gridsearch.operator.observe.Snapshot;
import dev.gridsearch.operator.plan.Done;
import dev.gridsearch.operator.plan.Plan;
import dev.gridsearch.operator.plan.PlanInput;
import dev.gridsearch.operator.plan.Planner;
import dev.gridsearch.operator.plan.TrialResources;
import dev.gridsearch.operator.quota.PodDemand;
import dev.gridsearch.operator.quota.QuotaHeadroom;
import dev.gridsearch.operator.results.ResultCodec;
import dev.gridsearch.operator.results.ResultsView;
import dev.gridsearch.operator.trial.TrialObservation;
import dev.gridsearch.operator.trial.TrialObserver;
import dev.gridsearch.operator.trial.TrialRenderer;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One reconcile of one GridSearch, in four named steps: {@link #observe} (caches and the few API
 * reads into one {@link Observation}), {@link #decide} (the limits granted, then one {@link Plan}),
 * {@link #act} (records, deletions, suspensions, creations) and {@link #writeStatus} (assembled
 * once from what was done).
 */
@ControllerConfiguration(name = "gridsearch")
public final class GridSearchReconciler implements Reconciler<GridSearch> {
  static final String JOBS = "jobs";
  static final String PODS = "pods";
  static final String RESULTS = "results";
  static final String QUOTAS = "quotas";
  static final String LIMIT_RANGES = "limitranges";
  private static final String JOB_NAME_LABEL = "batch.kubernetes.io/job-name";
  private static final String DISRUPTION_TARGET = "DisruptionTarget";

  /** After a failed Job creation, try again this much later (or sooner, on any event). */
  private static final Duration LAUNCH_RETRY = Duration.ofSeconds(5);

  private final Planner planner;
  private final Observer observer;
  private final ResultsCache results;
  private final Validation validation;
  private final PlanActor actor;
  private final JobCreationLimiter limiter;
  private final GridSearchMetrics metrics;
  private final SearchMemories memories;
  private final QuotaGate quotaGate;
  private final Clock clock;

  public GridSearchReconciler(
      Planner planner,
      ResultCodec codec,
      KubernetesClient client,
      JobCreationLimiter limiter,
      GridSearchMetrics metrics,
      Clock clock) {
    this(
        planner,
        new Observer(),
        new ResultsCache(codec),
        new Validation(client),
        new PlanActor(client, clock),
        limiter,
        metrics,
        new SearchMemories(),
        clock);
  }

  GridSearchReconciler(
      Planner planner,
      Observer observer,
      ResultsCache results,
      Validation validation,
      PlanActor actor,
      JobCreationLimiter limiter,
      GridSearchMetrics metrics,
      SearchMemories memories,
      Clock clock) {
    this.planner = planner;
    this.observer = observer;
    this.results = results;
    this.validation = validation;
    this.actor = actor;
    this.limiter = limiter;
    this.metrics = metrics;
    this.memories = memories;
    this.quotaGate = new QuotaGate(memories);
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, GridSearch>> prepareEventSources(
      EventSourceContext<GridSearch> context) {
    var jobs =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Job.class, GridSearch.class)
                .withName(JOBS)
                .withLabelSelector(GridSearch.NAME_LABEL)
                .withItemStore(new LeanStore<>())
                // Only status and deletion matter: spec and metadata noise would only cost
                // reconciles.
                .withOnUpdateFilter(
                    (now, before) ->
                        !Objects.equals(now.getStatus(), before.getStatus())
                            || !Objects.equals(
                                now.getMetadata().getDeletionTimestamp(),
                                before.getMetadata().getDeletionTimestamp())
                            || !Objects.equals(
                                now.getSpec().getSuspend(), before.getSpec().getSuspend()))
                .build(),
            context);
    var pods =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Pod.class, GridSearch.class)
                .withName(PODS)
                .withLabelSelector(GridSearch.NAME_LABEL)
                .withItemStore(new LeanStore<>())
                .withSecondaryToPrimaryMapper(
                    pod ->
                        Set.of(
                            new ResourceID(
                                pod.getMetadata().getLabels().get(GridSearch.NAME_LABEL),
                                pod.getMetadata().getNamespace())))
                // A pod matters when its phase changes (Running makes a trial Running, a final
                // phase carries metrics) and
                // when it is disrupted (counted, so that a trial disrupted for ever still ends).
                .withOnUpdateFilter(
                    (now, before) ->
                        !Objects.equals(phase(now), phase(before))
                            || disrupted(now) != disrupted(before))
                .build(),
            context);
    var shards =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(ConfigMap.class, GridSearch.class)
                .withName(RESULTS)
                .withLabelSelector(GridSearch.NAME_LABEL)
                .withItemStore(new LeanStore<>())
                .build(),
            context);
    // Quota and LimitRange changes wake every unfinished search in their namespace: room may have
    // opened.
    SecondaryToPrimaryMapper<HasMetadata> inNamespace =
        r ->
            context
                .getPrimaryCache()
                .list(r.getMetadata().getNamespace())
                .filter(gs -> gs.getStatus() == null || gs.getStatus().completionTime() == null)
                .map(ResourceID::fromResource)
                .collect(Collectors.toSet());
    var quotas =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(ResourceQuota.class, GridSearch.class)
                .withName(QUOTAS)
                .withSecondaryToPrimaryMapper(inNamespace::toPrimaryResourceIDs)
                .build(),
            context);
    var limitRanges =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(LimitRange.class, GridSearch.class)
                .withName(LIMIT_RANGES)
                .withSecondaryToPrimaryMapper(inNamespace::toPrimaryResourceIDs)
                .build(),
            context);
    return List.of(jobs, pods, shards, quotas, limitRanges);
  }

  @Override
  public UpdateControl<GridSearch> reconcile(GridSearch asWritten, Context<GridSearch> context) {
    Instant now = clock.instant();
    memories.sweep(id -> context.getPrimaryCache().get(id), now);
    SearchMemory memory = memories.of(asWritten);
    // Planned from the status computed last, which may not be written yet (see StatusWrites).
    GridSearch search = StatusWrites.latest(asWritten, memory);
    Observed observed = observe(search, memory, context, now);
    Acted acted =
        inTurn(
            search,
            observed,
            () ->
                act(
                    search,
                    memory,
                    decide(search, memory, observed, context, now),
                    observed,
                    context,
                    now));
    return writeStatus(asWritten, search, memory, acted, context, now);
  }

  /**
   * A deleted search's memory goes with it (the delete event; a sweep against the primary cache
   * backs it up).
   */
  public void forget(ResourceID id) {
    memories.release(id);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // observe

  /**
   * What one reconcile observed: the planner's observation, and what acting on it needs besides
   * (the UIDs of the search's Jobs by name, the ResourceQuotas that apply to its trials).
   */
  private record Observed(
      Observation observation, Map<String, String> jobUids, List<ResourceQuota> quotas) {}

  /**
   * The caches (this search's own objects only, by owner UID) and the few API reads, as one
   * observation.
   */
  private Observed observe(
      GridSearch search, SearchMemory memory, Context<GridSearch> context, Instant now) {
    String ns = search.getMetadata().getNamespace();
    Map<String, List<Pod>> podsByJob =
        podsOf(context, search)
            .filter(p -> p.getMetadata().getLabels().get(JOB_NAME_LABEL) != null)
            .collect(Collectors.groupingBy(p -> p.getMetadata().getLabels().get(JOB_NAME_LABEL)));
    TrialObserver trials = trialObserver(search);
    Map<Long, TrialObservation> live = new LinkedHashMap<>();
    Map<String, String> uids = new HashMap<>();
    // Through JOSDK, which also sees the Jobs and shards we just wrote (its recent-write cache);
    // list() would not.
    for (Job job :
        context
            .getSecondaryResourcesAsStream(Job.class)
            .filter(j -> Ownership.ours(j, search))
            .toList()) {
      uids.put(job.getMetadata().getName(), job.getMetadata().getUid());
      TrialObserver.index(job)
          .ifPresent(
              i ->
                  live.put(
                      i,
                      trials.observe(
                          i,
                          job,
                          podsByJob.getOrDefault(job.getMetadata().getName(), List.of()),
                          now)));
    }
    countDisruptions(memory, live, podsByJob);
    List<ConfigMap> shards =
        context
            .getSecondaryResourcesAsStream(ConfigMap.class)
            .filter(cm -> Ownership.ours(cm, search))
            .toList();
    ResultsView view =
        results.view(
            search.getMetadata().getName(), memory, shards, search.getSpec().objective().goal());
    quotaGate.listed(memory, Set.copyOf(uids.values()), now);
    List<ResourceQuota> quotas = quotasFor(search, context);
    Map<Long, Integer> disruptions = new HashMap<>();
    memory.disruptedPods.forEach((i, pods) -> disruptions.put(i, pods.size()));
    Snapshot snapshot =
        new Snapshot(
            search,
            live,
            podsByJob.keySet(),
            disruptions,
            view,
            quotas,
            cached(context, LimitRange.class, LIMIT_RANGES, ns),
            now);
    return new Observed(
        observer.observe(snapshot, new ClientReads(search, memory, podsByJob, trials, now)),
        uids,
        quotas);
  }

  /**
   * The reads the caches cannot answer, through the client; each only for this search's own
   * objects.
   */
  private final class ClientReads implements Reads {
    private final GridSearch search;
    private final SearchMemory memory;
    private final Map<String, List<Pod>> podsByJob;
    private final TrialObserver trials;
    private final Instant now;

    ClientReads(
        GridSearch search,
        SearchMemory memory,
        Map<String, List<Pod>> podsByJob,
        TrialObserver trials,
        Instant now) {
      this.search = search;
      this.memory = memory;
      this.podsByJob = podsByJob;
      this.trials = trials;
      this.now = now;
    }

    @Override
    public TrialRenderer renderer(Grid grid) {
      return actor.renderer(search, grid);
    }

    @Override
    public Optional<String> validate(TrialRenderer renderer) {
      return validation.check(search, memory, renderer);
    }

    @Override
    public ResultsView freshResults() {
      return results.view(
          search.getMetadata().getName(),
          memory,
          actor.readShards(search),
          search.getSpec().objective().goal());
    }

    @Override
    public Optional<TrialObservation> job(long index) {
      return actor
          .readJob(search, index)
          .map(
              job ->
                  trials.observe(
                      index,
                      job,
                      podsByJob.getOrDefault(job.getMetadata().getName(), List.of()),
                      now));
    }

    @Override
    public Optional<String> lastFailedCreate(String job) {
      return actor.lastFailedCreate(search, memory, job);
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // decide

  /**
   * The plan, and what was granted for it: quota room and Job-creation tokens are inputs, so it is
   * made once.
   */
  private record Decision(Plan plan, boolean quotaBound, Optional<Duration> retryAfter) {}

  private Decision decide(
      GridSearch search,
      SearchMemory memory,
      Observed observed,
      Context<GridSearch> context,
      Instant now) {
    PlanInput input = observed.observation().input();
    int wanted = Planner.openSlots(input);
    List<ResourceQuota> quotas = observed.quotas();
    boolean quotaBound = !quotas.isEmpty() && wanted > 0 && input.resources().pod() != null;
    if (!quotaBound || Boolean.TRUE.equals(search.getSpec().suspend())) {
      memory.waitingForQuota = false;
    }
    int allowed = wanted;
    if (quotaBound) {
      String ns = search.getMetadata().getNamespace();
      TrialResources trial = input.resources();
      QuotaGate.Decision room =
          quotaGate.decide(
              memory,
              wanted,
              quotas,
              trial.pod(),
              trial.podsPerTrial(),
              footprint(context, ns, now),
              m -> SearchMemories.present(m, id -> context.getPrimaryCache().get(id)));
      allowed = room.allowed();
      if (allowed < wanted) {
        metrics.launchesHeldBack(search, wanted - allowed);
        input = input.withQuotaLimit(allowed, room.why().orElse(""));
      }
    }
    int tokens = allowed == 0 ? 0 : limiter.tryAcquire(allowed);
    Plan plan = planner.plan(input.withLaunchLimit(Math.min(input.launchLimit(), tokens)));
    // Tokens the plan does not use go back: the plan may launch fewer than the open slots (e.g. it
    // ends the search).
    limiter.release(tokens - plan.launch().size());
    Optional<Duration> retryAfter =
        tokens < allowed ? Optional.of(limiter.untilNext()) : Optional.empty();
    return new Decision(plan, quotaBound, retryAfter);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // act

  /**
   * What was done: the plan, its launches, the records still being written, and when to look again.
   */
  private record Acted(
      Plan plan, Done done, CompletableFuture<Void> recorded, Optional<Duration> retryAfter) {}

  private Acted act(
      GridSearch search,
      SearchMemory memory,
      Decision decision,
      Observed observed,
      Context<GridSearch> context,
      Instant now) {
    Plan plan = decision.plan();
    // Records are written while the trials launch: a freed slot does not wait for the record of
    // what freed it.
    CompletableFuture<Void> recorded =
        actor.applyAllButLaunches(search, memory, plan, observed.jobUids(), context);
    PlanActor.Launches launches =
        plan.launch().isEmpty()
            ? new PlanActor.Launches(0, List.of(), Optional.empty(), Optional.empty())
            : actor.launch(search, plan, observed.observation().renderer(), context);
    if (decision.quotaBound()) {
      TrialResources trial = observed.observation().resources();
      quotaGate.launched(
          memory,
          launches.uids(),
          trial.pod() == null
              ? Map.of()
              : QuotaHeadroom.trialCharges(trial.pod(), trial.podsPerTrial()),
          now);
    }
    Optional<Duration> retryAfter = decision.retryAfter();
    if (launches.failure().isPresent() && launches.nameConflict().isEmpty()) {
      retryAfter = earliest(retryAfter, Optional.of(LAUNCH_RETRY));
    }
    return new Acted(
        plan, new Done(launches.created(), launches.nameConflict()), recorded, retryAfter);
  }

  /**
   * Searches sharing a ResourceQuota take turns under their namespace's lock; others need no lock.
   */
  private Acted inTurn(GridSearch search, Observed observed, Supplier<Acted> step) {
    return observed.quotas().isEmpty()
        ? step.get()
        : quotaGate.inNamespace(search.getMetadata().getNamespace(), step);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // status

  private UpdateControl<GridSearch> writeStatus(
      GridSearch asWritten,
      GridSearch search,
      SearchMemory memory,
      Acted acted,
      Context<GridSearch> context,
      Instant now) {
    PlanActor.await(acted.recorded());
    GridSearchStatus status = acted.plan().status(acted.done());
    Phase phase = status.phase();
    if (phase == Phase.Succeeded || phase == Phase.Failed || phase == Phase.Suspended) {
      quotaGate.leave(memory);
    }
    actor.recordTransition(search, status);
    metrics.applied(search, acted.plan().record(), status);
    memory.reportedError = null;

    StatusWrites.Decision write = StatusWrites.decide(asWritten, memory, status, now);
    if (write.write()) {
      // Cached as written, so the next reconcile starts from this status even before the informer
      // delivers it.
      PrimaryUpdateAndCacheUtils.ssaPatchStatusAndCacheResource(
          asWritten, statusOnly(asWritten, status), context);
    }
    Optional<Duration> retryAfter =
        earliest(earliest(acted.retryAfter(), acted.plan().wakeAfter()), write.after());
    UpdateControl<GridSearch> control = UpdateControl.noUpdate();
    retryAfter.ifPresent(control::rescheduleAfter);
    return control;
  }

  /**
   * A reconcile that failed on the API (a refused write, a conflict, a dry-run the server would not
   * run) says so in the status and with an Event, not only in the log; JOSDK retries it (its
   * ErrorStatusHandler hook).
   */
  @Override
  public ErrorStatusUpdateControl<GridSearch> updateErrorStatus(
      GridSearch asWritten, Context<GridSearch> context, Exception e) {
    SearchMemory memory = memories.of(asWritten);
    GridSearch search = StatusWrites.latest(asWritten, memory);
    Throwable cause =
        e.getCause() != null && !(e instanceof KubernetesClientException) ? e.getCause() : e;
    String reason =
        cause instanceof NameConflict
            ? Reason.NAME_CONFLICT
            : cause instanceof KubernetesClientException k && k.getCode() == 403
                ? Reason.FORBIDDEN
                : cause instanceof KubernetesClientException k2 && k2.getCode() == 422
                    ? Reason.INVALID
                    : Reason.API_ERROR;
    String message = "reconcile failed, retried with backoff: " + cause.getMessage();
    if (message.equals(memory.reportedError)) {
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    memory.reportedError = message;
    actor.recordProblem(search, reason, message);
    GridSearchStatus before =
        search.getStatus() == null ? GridSearchStatus.builder().build() : search.getStatus();
    List<Condition> conditions =
        new ArrayList<>(before.conditions() == null ? List.of() : before.conditions());
    conditions.removeIf(c -> GridSearchConditions.READY.equals(c.getType()));
    conditions.add(
        0,
        new ConditionBuilder()
            .withType(GridSearchConditions.READY)
            .withStatus("False")
            .withReason(reason)
            .withMessage(message)
            .withObservedGeneration(search.getMetadata().getGeneration())
            .withLastTransitionTime(clock.instant().toString())
            .build());
    memory.heldStatus = null;
    return ErrorStatusUpdateControl.patchStatus(
        statusOnly(asWritten, before.toBuilder().conditions(conditions).build()));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // helpers

  private static TrialObserver trialObserver(GridSearch search) {
    return new TrialObserver(
        search.getSpec().objective().metric(), search.getSpec().trialTemplate().primaryContainer());
  }

  /** Remembers each disrupted pod of a live trial, so that the count survives the pod's removal. */
  private static void countDisruptions(
      SearchMemory memory, Map<Long, TrialObservation> live, Map<String, List<Pod>> podsByJob) {
    memory.disruptedPods.keySet().removeIf(i -> !live.containsKey(i) || live.get(i).isFinal());
    for (TrialObservation trial : live.values()) {
      if (trial.isFinal()) {
        continue;
      }
      for (Pod pod : podsByJob.getOrDefault(trial.job(), List.of())) {
        if (disrupted(pod)) {
          memory
              .disruptedPods
              .computeIfAbsent(
                  trial.index(), i -> java.util.concurrent.ConcurrentHashMap.newKeySet())
              .add(pod.getMetadata().getUid());
        }
      }
    }
  }

  /** The ResourceQuotas that apply to the trials: none with Kueue, which owns admission. */
  private static List<ResourceQuota> quotasFor(GridSearch search, Context<GridSearch> context) {
    return search.getSpec().queueName() != null
        ? List.of()
        : cached(context, ResourceQuota.class, QUOTAS, search.getMetadata().getNamespace());
  }

  /**
   * What the trials of every search in the namespace hold (their Jobs, their live pods) and will
   * charge (Jobs whose pods do not exist yet, and Jobs created here that the informer does not list
   * yet). Call inside the lock.
   */
  private QuotaHeadroom.Footprint footprint(Context<GridSearch> context, String ns, Instant now) {
    List<LimitRange> limitRanges = cached(context, LimitRange.class, LIMIT_RANGES, ns);
    Map<String, List<Pod>> livePods =
        cached(context, Pod.class, PODS, ns).stream()
            .filter(p -> p.getMetadata().getLabels().get(JOB_NAME_LABEL) != null)
            .collect(Collectors.groupingBy(p -> p.getMetadata().getLabels().get(JOB_NAME_LABEL)));
    Map<String, BigDecimal> inUse = new HashMap<>();
    List<Job> jobs = cached(context, Job.class, JOBS, ns);
    Map<String, BigDecimal> unreflected =
        new HashMap<>(
            quotaGate.notYetListed(
                ns,
                jobs.stream().map(j -> j.getMetadata().getUid()).collect(Collectors.toSet()),
                now));
    for (Job job : jobs) {
      inUse.merge("count/jobs.batch", BigDecimal.ONE, BigDecimal::add);
      List<Pod> pods = livePods.getOrDefault(job.getMetadata().getName(), List.of());
      for (Pod pod : pods) {
        String phase = phase(pod);
        if (!"Succeeded".equals(phase) && !"Failed".equals(phase)) {
          QuotaHeadroom.accumulate(
              inUse, QuotaHeadroom.charges(PodDemand.of(pod.getSpec(), List.of()), 1));
        }
      }
      if (pods.isEmpty()
          && !Boolean.TRUE.equals(job.getSpec().getSuspend())
          && !TrialObserver.finished(job)
          && job.getMetadata().getDeletionTimestamp() == null) {
        QuotaHeadroom.accumulate(
            unreflected,
            QuotaHeadroom.charges(
                PodDemand.of(job.getSpec().getTemplate().getSpec(), limitRanges),
                Observer.podsPerTrial(job)));
      }
    }
    return new QuotaHeadroom.Footprint(inUse, unreflected);
  }

  /**
   * This search's pods in the informer's cache, by label. Not JOSDK's getSecondaryResources: that
   * collects into a HashSet, hashing every cached pod in full per reconcile; pods are never written
   * here, so no recent write is missed.
   */
  private static Stream<Pod> podsOf(Context<GridSearch> context, GridSearch search) {
    String name = search.getMetadata().getName();
    return PlanActor.eventSource(context, Pod.class, PODS)
        .list(
            search.getMetadata().getNamespace(),
            p -> name.equals(p.getMetadata().getLabels().get(GridSearch.NAME_LABEL)));
  }

  private static <R extends HasMetadata> List<R> cached(
      Context<GridSearch> context, Class<R> type, String name, String namespace) {
    return PlanActor.eventSource(context, type, name).list(namespace, r -> true).toList();
  }

  private static Optional<Duration> earliest(Optional<Duration> a, Optional<Duration> b) {
    if (a.isEmpty()) {
      return b;
    }
    return b.isEmpty() || a.get().compareTo(b.get()) <= 0 ? a : b;
  }

  /** A fresh object with only what the status patch needs, so no stale spec rides along. */
  private static GridSearch statusOnly(GridSearch search, GridSearchStatus status) {
    GridSearch patch = new GridSearch();
    ObjectMeta meta = new ObjectMeta();
    meta.setName(search.getMetadata().getName());
    meta.setNamespace(search.getMetadata().getNamespace());
    patch.setMetadata(meta);
    patch.setStatus(status);
    return patch;
  }

  private static String phase(Pod pod) {
    return pod.getStatus() == null ? null : pod.getStatus().getPhase();
  }

  /**
   * Evicted, preempted or lost with its node: the API server or a controller marked it
   * DisruptionTarget.
   */
  static boolean disrupted(Pod pod) {
    List<PodCondition> conditions =
        pod.getStatus() == null ? null : pod.getStatus().getConditions();
    return conditions != null
        && conditions.stream()
            .anyMatch(c -> DISRUPTION_TARGET.equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
