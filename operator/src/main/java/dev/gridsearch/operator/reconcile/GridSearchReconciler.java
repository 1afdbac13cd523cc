package dev.gridsearch.operator.reconcile;

import dev.gridsearch.operator.api.GridSearch;
import dev.gridsearch.operator.api.GridSearchStatus;
import dev.gridsearch.operator.grid.Grid;
import dev.gridsearch.operator.metrics.GridSearchMetrics;
import dev.gridsearch.operator.plan.Plan;
import dev.gridsearch.operator.plan.PlanInput;
import dev.gridsearch.operator.plan.Planner;
import dev.gridsearch.operator.plan.TrialResources;
import dev.gridsearch.operator.results.ResultsView;
import dev.gridsearch.operator.trial.SpecGrid;
import dev.gridsearch.operator.trial.TrialNames;
import dev.gridsearch.operator.trial.TrialObservation;
import dev.gridsearch.operator.trial.TrialObserver;
import dev.gridsearch.operator.trial.TrialRenderer;
import dev.gridsearch.operator.quota.PodDemand;
import dev.gridsearch.operator.quota.QuotaHeadroom;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import java.math.BigDecimal;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import dev.gridsearch.operator.results.ResultCodec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Observe (informer caches) → plan (pure) → act → status, for one GridSearch at a time. */
@ControllerConfiguration(name = "gridsearch")
public final class GridSearchReconciler implements Reconciler<GridSearch> {
  private static final Logger LOG = LoggerFactory.getLogger(GridSearchReconciler.class);
  static final String JOBS = "jobs";
  static final String PODS = "pods";
  static final String RESULTS = "results";
  static final String QUOTAS = "quotas";
  static final String LIMIT_RANGES = "limitranges";
  /** A trial Job without a pod for this long is reported as waiting for admission. */
  private static final Duration ADMISSION_GRACE = Duration.ofSeconds(10);
  private static final String JOB_NAME_LABEL = "batch.kubernetes.io/job-name";
  /** Missing indexes checked against the API server per reconcile; more are checked on the next one. */
  private static final int MAX_MISSING_CHECKS = 100;
  /** After a failed Job creation, try again this much later (or sooner, on any event). */
  private static final Duration LAUNCH_RETRY = Duration.ofSeconds(5);

  private final Planner planner;
  private final ResultsCache results;
  private final Validation validation;
  private final PlanActor actor;
  private final JobCreationLimiter limiter;
  private final GridSearchMetrics metrics;
  private final QuotaGate quotaGate = new QuotaGate();
  private final StatusWrites statusWrites = new StatusWrites();
  private final Clock clock;

  public GridSearchReconciler(Planner planner, ResultCodec codec, KubernetesClient client, JobCreationLimiter limiter,
      GridSearchMetrics metrics, Clock clock) {
    this.planner = planner;
    this.results = new ResultsCache(codec);
    this.validation = new Validation(client);
    this.actor = new PlanActor(client, clock);
    this.limiter = limiter;
    this.metrics = metrics;
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, GridSearch>> prepareEventSources(EventSourceContext<GridSearch> context) {
    var jobs = new InformerEventSource<>(InformerEventSourceConfiguration.from(Job.class, GridSearch.class)
        .withName(JOBS).withLabelSelector(GridSearch.NAME_LABEL).withItemStore(new LeanStore<>())
        // Only status and deletion matter: spec and metadata noise would only cost reconciles.
        .withOnUpdateFilter((now, before) -> !Objects.equals(now.getStatus(), before.getStatus())
            || !Objects.equals(now.getMetadata().getDeletionTimestamp(), before.getMetadata().getDeletionTimestamp())
            || !Objects.equals(now.getSpec().getSuspend(), before.getSpec().getSuspend()))
        .build(), context);
    var pods = new InformerEventSource<>(InformerEventSourceConfiguration.from(Pod.class, GridSearch.class)
        .withName(PODS).withLabelSelector(GridSearch.NAME_LABEL).withItemStore(new LeanStore<>())
        .withSecondaryToPrimaryMapper(pod -> Set.of(new ResourceID(
            pod.getMetadata().getLabels().get(GridSearch.NAME_LABEL), pod.getMetadata().getNamespace())))
        // A pod matters when its phase changes: Running makes a trial Running, a final phase carries metrics.
        .withOnUpdateFilter((now, before) -> !Objects.equals(phase(now), phase(before)))
        .build(), context);
    var shards = new InformerEventSource<>(InformerEventSourceConfiguration.from(ConfigMap.class, GridSearch.class)
        .withName(RESULTS).withLabelSelector(GridSearch.NAME_LABEL).withItemStore(new LeanStore<>())
        .build(), context);
    // Quota and LimitRange changes wake every unfinished search in their namespace: room may have opened.
    SecondaryToPrimaryMapper<HasMetadata> inNamespace = r -> context.getPrimaryCache()
        .list(r.getMetadata().getNamespace())
        .filter(gs -> gs.getStatus() == null || gs.getStatus().completionTime() == null)
        .map(ResourceID::fromResource).collect(Collectors.toSet());
    var quotas = new InformerEventSource<>(InformerEventSourceConfiguration.from(ResourceQuota.class, GridSearch.class)
        .withName(QUOTAS).withSecondaryToPrimaryMapper(inNamespace::toPrimaryResourceIDs).build(), context);
    var limitRanges = new InformerEventSource<>(InformerEventSourceConfiguration.from(LimitRange.class, GridSearch.class)
        .withName(LIMIT_RANGES).withSecondaryToPrimaryMapper(inNamespace::toPrimaryResourceIDs).build(), context);
    return List.of(jobs, pods, shards, quotas, limitRanges);
  }

  @Override
  public UpdateControl<GridSearch> reconcile(GridSearch asWritten, Context<GridSearch> context) {
    Instant now = clock.instant();
    // Planned from the status computed last, which may not be written yet (see StatusWrites).
    GridSearch search = statusWrites.latest(asWritten);
    String name = search.getMetadata().getName();
    Optional<Grid> grid;
    Optional<String> invalid;
    try {
      grid = Optional.of(SpecGrid.of(search.getSpec().parameters()));
      invalid = Planner.gridProblem(grid.get(), search.getSpec());
    } catch (IllegalArgumentException e) {
      grid = Optional.empty();
      invalid = Optional.of("spec.parameters: " + e.getMessage());
    }

    Map<String, List<Pod>> podsByJob = podsOf(context, search)
        .filter(p -> p.getMetadata().getLabels().get(JOB_NAME_LABEL) != null)
        .collect(Collectors.groupingBy(p -> p.getMetadata().getLabels().get(JOB_NAME_LABEL)));
    TrialObserver observer = new TrialObserver(search.getSpec().objective().metric(),
        search.getSpec().trialTemplate().primaryContainer());
    Map<Long, TrialObservation> live = new LinkedHashMap<>();
    // Through JOSDK, which also sees the Jobs and shards we just wrote (its recent-write cache); list() would not.
    for (Job job : context.getSecondaryResourcesAsStream(Job.class).toList()) {
      TrialObserver.index(job).ifPresent(i -> live.put(i, observer.observe(i, job,
          podsByJob.getOrDefault(job.getMetadata().getName(), List.of()), now)));
    }
    ResultsView view = results.view(name, context.getSecondaryResourcesAsStream(ConfigMap.class).toList(),
        search.getSpec().objective().goal());
    quotaGate.listed(search.getMetadata().getNamespace(),
        live.values().stream().map(TrialObservation::job).collect(Collectors.toSet()), now);

    TrialRenderer renderer = grid.map(g -> actor.renderer(search, g)).orElse(null);
    TrialResources resources = invalid.isEmpty() && renderer != null ? resources(search, renderer, context)
        : TrialResources.UNKNOWN;
    if (invalid.isEmpty() && renderer != null && nothingLaunched(search, live, view)) {
      invalid = Planner.budgetProblem(search.getSpec()).or(() -> validation.check(search, renderer))
          .or(() -> neverFits(search, resources, context));
    }

    Set<Long> deleted = Set.of();
    Missing missing = null;
    if (invalid.isEmpty() && grid.isPresent()) {
      missing = missing(search, live, view, observer, podsByJob, now);
      view = missing.view();
      live.putAll(missing.found());
      deleted = missing.deleted();
    }
    Optional<String> recordsLost = missing == null ? Optional.empty() : missing.recordsLost();
    Set<Long> lost = missing == null ? Set.of() : missing.lost();

    PlanInput known = new PlanInput(search, grid, invalid, List.copyOf(live.values()), view, deleted, now)
        .withResources(invalid.isEmpty() ? resources : TrialResources.UNKNOWN);
    PlanInput observed = recordsLost.map(why -> known.withLostRecords(lost, why)).orElse(known);
    PlanInput input = admissionWaits(search, live, podsByJob, now)
        .map(why -> observed.withQuotaLimit(Integer.MAX_VALUE, why)).orElse(observed);
    Plan planned = planner.plan(input);
    // Records are written while the trials launch: a freed slot does not wait for the record of what freed it.
    CompletableFuture<Void> recorded = actor.applyAllButLaunches(search, planned, context);
    Step step = planned.launch().isEmpty() ? new Step(planned, Optional.empty())
        : launchInTurn(search, input, planned, renderer, context, now);
    PlanActor.await(recorded);
    Plan plan = step.plan();
    Optional<Duration> retryAfter = earliest(step.retryAfter(), plan.wakeAfter());
    if (plan.status().phase() == GridSearchStatus.Phase.Succeeded
        || plan.status().phase() == GridSearchStatus.Phase.Failed) {
      quotaGate.forget(ResourceID.fromResource(search));
    }
    GridSearchStatus status = plan.status();
    actor.recordTransition(search, status);
    metrics.applied(search, plan);

    StatusWrites.Decision write = statusWrites.decide(asWritten, status, now);
    if (write.write()) {
      // Cached as written, so the next reconcile starts from this status even before the informer delivers it.
      PrimaryUpdateAndCacheUtils.ssaPatchStatusAndCacheResource(asWritten, statusOnly(asWritten, status), context);
    }
    retryAfter = earliest(retryAfter, write.after());
    UpdateControl<GridSearch> control = UpdateControl.noUpdate();
    retryAfter.ifPresent(control::rescheduleAfter);
    return control;
  }

  private record Step(Plan plan, Optional<Duration> retryAfter) {}

  /** With Kueue, Kueue owns admission; without a quota, searches need not take turns (and hold no lock). */
  private Step launchInTurn(GridSearch search, PlanInput input, Plan planned, TrialRenderer renderer,
      Context<GridSearch> context, Instant now) {
    String ns = search.getMetadata().getNamespace();
    List<ResourceQuota> quotas = search.getSpec().queueName() != null ? List.of()
        : cached(context, ResourceQuota.class, QUOTAS, ns);
    return quotas.isEmpty() ? launch(search, input, planned, renderer, context, quotas, now)
        : quotaGate.inNamespace(ns, () -> launch(search, input, planned, renderer, context, quotas, now));
  }

  /**
   * Quota (if {@code quotas} apply), then the Job-creation rate, then the creations themselves; with quotas, all
   * under the namespace's lock so searches sharing a quota never spend the same room. Each limit re-plans, so the
   * status always tells what was done.
   */
  private Step launch(GridSearch search, PlanInput input, Plan planned, TrialRenderer renderer,
      Context<GridSearch> context, List<ResourceQuota> quotas, Instant now) {
    PlanInput in = input;
    Plan plan = planned;
    Optional<Duration> retryAfter = Optional.empty();
    ResourceID id = ResourceID.fromResource(search);
    String ns = search.getMetadata().getNamespace();
    if (!quotas.isEmpty()) {
      int wanted = plan.launch().size();
      TrialResources trial = in.resources();
      QuotaHeadroom.Footprint ours = footprint(context, ns, cached(context, LimitRange.class, LIMIT_RANGES, ns),
          quotaGate, now);
      QuotaGate.Decision decision = quotaGate.decide(id, wanted, quotas, trial.pod(), trial.podsPerTrial(), ours);
      if (decision.allowed() < wanted) {
        metrics.launchesHeldBack(search, wanted - decision.allowed());
        plan = planner.plan(in = in.withQuotaLimit(decision.allowed(), decision.why().orElse("")));
      }
    }
    if (!plan.launch().isEmpty()) {
      int granted = limiter.tryAcquire(plan.launch().size());
      if (granted < plan.launch().size()) {
        plan = planner.plan(in = in.withLaunchLimit(granted));
        retryAfter = Optional.of(limiter.untilNext());
      }
    }
    PlanActor.Launches launches = actor.launch(search, plan, renderer, context);
    if (launches.created() < plan.launch().size()) {
      // The status must not claim trials that were not created, or they would later look deleted.
      plan = planner.plan(in.withLaunchLimit(launches.created()));
      retryAfter = Optional.of(LAUNCH_RETRY);
    }
    if (!quotas.isEmpty()) {
      List<String> created = plan.launch().stream().limit(launches.created())
          .map(i -> TrialNames.jobName(search.getMetadata().getName(), i)).toList();
      quotaGate.launched(id, created, in.resources().pod() == null ? Map.of()
          : QuotaHeadroom.trialCharges(in.resources().pod(), in.resources().podsPerTrial()), now);
    }
    return new Step(plan, retryAfter);
  }

  private static Optional<Duration> earliest(Optional<Duration> a, Optional<Duration> b) {
    if (a.isEmpty()) {
      return b;
    }
    return b.isEmpty() || a.get().compareTo(b.get()) <= 0 ? a : b;
  }

  /** What one trial requests after LimitRange defaults, and whether parallelism of them fit the quotas' hard limits. */
  private static TrialResources resources(GridSearch search, TrialRenderer renderer, Context<GridSearch> context) {
    String ns = search.getMetadata().getNamespace();
    Job first;
    try {
      first = renderer.render(0);
    } catch (IllegalArgumentException e) {
      return TrialResources.UNKNOWN;  // not a Job template: the dry-run before trial 0 reports it
    }
    int pods = podsPerTrial(first);
    PodDemand demand;
    try {
      demand = PodDemand.of(first.getSpec().getTemplate().getSpec(),
          cached(context, LimitRange.class, LIMIT_RANGES, ns));
    } catch (RuntimeException e) {
      return TrialResources.UNKNOWN;  // e.g. an unparsable quantity: the dry-run before trial 0 reports it
    }
    List<ResourceQuota> quotas = search.getSpec().queueName() != null ? List.of()
        : cached(context, ResourceQuota.class, QUOTAS, ns);
    int parallelism = search.getSpec().parallelism() == null ? 1 : search.getSpec().parallelism();
    Optional<String> peak = new QuotaHeadroom(quotas).neverFits(demand, pods * parallelism)
        .map(s -> "ResourceQuota " + s.quota() + ": " + s.resource() + " would need "
            + s.need().stripTrailingZeros().toPlainString() + " at parallelism " + parallelism + ", hard limit "
            + s.free().stripTrailingZeros().toPlainString() + "; trials will queue for room");
    return new TrialResources(demand, pods, !quotas.isEmpty(), peak);
  }

  /** A trial that asks more than a quota's hard limit could never run: the search is invalid, nothing launches. */
  private static Optional<String> neverFits(GridSearch search, TrialResources trial, Context<GridSearch> context) {
    if (trial.pod() == null || search.getSpec().queueName() != null) {
      return Optional.empty();
    }
    List<ResourceQuota> quotas = cached(context, ResourceQuota.class, QUOTAS, search.getMetadata().getNamespace());
    return new QuotaHeadroom(quotas).neverFits(trial.pod(), trial.podsPerTrial()).map(s -> "spec.trialTemplate:"
        + " one trial needs more than ResourceQuota " + s.quota() + " allows at all: " + s.resource() + " "
        + s.need().stripTrailingZeros().toPlainString() + " per trial, hard limit "
        + s.free().stripTrailingZeros().toPlainString() + "; no trial could ever run");
  }

  /**
   * What the trials of every search in the namespace hold (their Jobs, their live pods) and will charge (Jobs whose
   * pods do not exist yet): the quota status may not show either yet.
   */
  private static QuotaHeadroom.Footprint footprint(Context<GridSearch> context, String ns,
      List<LimitRange> limitRanges, QuotaGate gate, Instant now) {
    Map<String, List<Pod>> livePods = cached(context, Pod.class, PODS, ns).stream()
        .filter(p -> p.getMetadata().getLabels().get(JOB_NAME_LABEL) != null)
        .collect(Collectors.groupingBy(p -> p.getMetadata().getLabels().get(JOB_NAME_LABEL)));
    Map<String, BigDecimal> inUse = new HashMap<>();
    List<Job> jobs = cached(context, Job.class, JOBS, ns);
    // Jobs this process just created may not be listed yet (the informer lags our own writes).
    Map<String, BigDecimal> unreflected = new HashMap<>(gate.notYetListed(ns,
        jobs.stream().map(j -> j.getMetadata().getName()).collect(Collectors.toSet()), now));
    for (Job job : jobs) {
      inUse.merge("count/jobs.batch", BigDecimal.ONE, BigDecimal::add);
      List<Pod> pods = livePods.getOrDefault(job.getMetadata().getName(), List.of());
      for (Pod pod : pods) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        if (!"Succeeded".equals(phase) && !"Failed".equals(phase)) {
          QuotaHeadroom.accumulate(inUse, QuotaHeadroom.charges(PodDemand.of(pod.getSpec(), List.of()), 1));
        }
      }
      if (pods.isEmpty() && !Boolean.TRUE.equals(job.getSpec().getSuspend()) && !TrialObserver.finished(job)
          && job.getMetadata().getDeletionTimestamp() == null) {
        QuotaHeadroom.accumulate(unreflected, QuotaHeadroom.charges(
            PodDemand.of(job.getSpec().getTemplate().getSpec(), limitRanges), podsPerTrial(job)));
      }
    }
    return new QuotaHeadroom.Footprint(inUse, unreflected);
  }

  /** Trials whose Jobs have had no pod for a while: their pods are refused (e.g. quota raced with others). */
  private Optional<String> admissionWaits(GridSearch search, Map<Long, TrialObservation> live,
      Map<String, List<Pod>> podsByJob, Instant now) {
    List<TrialObservation> waiting = live.values().stream()
        .filter(o -> !o.isFinal() && !o.suspended() && !podsByJob.containsKey(o.job()))
        .filter(o -> o.startTime() != null && o.startTime().plus(ADMISSION_GRACE).isBefore(now))
        .toList();
    if (waiting.isEmpty()) {
      return Optional.empty();
    }
    String reason = actor.lastFailedCreate(search, waiting.get(0).job()).orElse("no pod created yet");
    return Optional.of(waiting.size() + " trial" + (waiting.size() == 1 ? " waits" : "s wait")
        + " for their pods to be admitted (trial " + waiting.get(0).index() + ": " + reason + ")");
  }

  private static int podsPerTrial(Job job) {
    Integer parallelism = job.getSpec().getParallelism();
    return parallelism == null ? 1 : Math.max(1, parallelism);
  }

  /**
   * This search's pods in the informer's cache, by label. Not JOSDK's getSecondaryResources: that collects into a
   * HashSet, hashing every cached pod in full per reconcile; pods are never written here, so no recent write is missed.
   */
  private static java.util.stream.Stream<Pod> podsOf(Context<GridSearch> context, GridSearch search) {
    String name = search.getMetadata().getName();
    return PlanActor.eventSource(context, Pod.class, PODS).list(search.getMetadata().getNamespace(),
        p -> name.equals(p.getMetadata().getLabels().get(GridSearch.NAME_LABEL)));
  }

  private static <R extends HasMetadata> List<R> cached(
      Context<GridSearch> context, Class<R> type, String name, String namespace) {
    return PlanActor.eventSource(context, type, name).list(namespace, r -> true).toList();
  }

  private static boolean nothingLaunched(GridSearch search, Map<Long, TrialObservation> live, ResultsView view) {
    GridSearchStatus status = search.getStatus();
    boolean launched = status != null && status.launched() != null && status.launched() > 0;
    return !launched && live.isEmpty() && view.records() == 0;
  }

  private record Missing(ResultsView view, Map<Long, TrialObservation> found, Set<Long> deleted, Set<Long> lost,
      Optional<String> recordsLost) {}

  /**
   * Launched indexes that are neither live nor recorded in the caches. The caches may lag our own writes, so
   * the API server decides: a Job it still has is live; a Job it does not have, with no record, was deleted.
   */
  private Missing missing(GridSearch search, Map<Long, TrialObservation> live, ResultsView view,
      TrialObserver observer, Map<String, List<Pod>> podsByJob, Instant now) {
    long launched = search.getStatus() == null || search.getStatus().launched() == null
        ? 0 : search.getStatus().launched();
    long liveUnrecorded = live.keySet().stream().filter(i -> !view.isRecorded(i)).count();
    if (view.records() + liveUnrecorded >= launched && !shrank(search.getStatus(), view)) {
      return new Missing(view, Map.of(), Set.of(), Set.of(), Optional.empty());
    }
    ResultsView fresh = results.view(search.getMetadata().getName(), actor.readShards(search),
        search.getSpec().objective().goal());
    Optional<String> recordsLost = recordsLost(search.getStatus(), fresh);
    Map<Long, TrialObservation> found = new HashMap<>();
    Set<Long> gone = new HashSet<>();
    int checks = 0;
    for (long i = 0; i < launched && checks < MAX_MISSING_CHECKS; i++) {
      if (live.containsKey(i) || fresh.isRecorded(i)) {
        continue;
      }
      checks++;
      Optional<Job> job = actor.readJob(search, i);
      if (job.isPresent()) {
        long index = i;
        found.put(i, observer.observe(index, job.get(),
            podsByJob.getOrDefault(job.get().getMetadata().getName(), List.of()), now));
      } else {
        gone.add(i);
      }
    }
    if (!gone.isEmpty()) {
      LOG.info("{}/{}: trials {} were launched but their Jobs are gone without a record{}",
          search.getMetadata().getNamespace(), search.getMetadata().getName(), gone,
          recordsLost.map(why -> " (" + why + ")").orElse(""));
    }
    return recordsLost.isPresent() ? new Missing(fresh, found, Set.of(), gone, recordsLost)
        : new Missing(fresh, found, gone, Set.of(), Optional.empty());
  }

  /**
   * Whether the cache holds fewer records or shards than the last status counted. Live Jobs can hide lost records
   * (a lagging Job cache, the kept best Job), so the launched count alone is not enough.
   */
  private static boolean shrank(GridSearchStatus previous, ResultsView view) {
    return previous != null && previous.results() != null && (previous.results().records() > view.records()
        || previous.results().configMaps() != null && !view.names().containsAll(previous.results().configMaps()));
  }

  /**
   * Whether results ConfigMaps were deleted: shards the last status listed are gone, or fewer records are stored
   * than it counted. Once so, it stays so (the condition), and missing trials are lost rather than deleted.
   */
  private static Optional<String> recordsLost(GridSearchStatus previous, ResultsView fresh) {
    if (previous == null) {
      return Optional.empty();
    }
    Optional<String> already = previous.conditions() == null ? Optional.empty() : previous.conditions().stream()
        .filter(c -> "RecordsLost".equals(c.getType())).findFirst().map(c -> c.getMessage());
    if (already.isPresent() || !shrank(previous, fresh)) {
      return already;
    }
    List<String> gone = previous.results().configMaps() == null ? List.of()
        : previous.results().configMaps().stream().filter(n -> !fresh.names().contains(n)).toList();
    long missingRecords = previous.results().records() - fresh.records();
    return Optional.of((gone.isEmpty() ? "results records were deleted" : "results ConfigMap "
        + String.join(", ", gone) + " was deleted") + ": " + Math.max(missingRecords, 0)
        + " trial records lost; those trials are recorded Stopped with reason RecordLost");
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
}
