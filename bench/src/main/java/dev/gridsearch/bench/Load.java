package dev.gridsearch.bench;

import dev.gridsearch.operator.api.GridSearch;
import dev.gridsearch.operator.grid.Grid;
import dev.gridsearch.operator.trial.SpecGrid;
import dev.gridsearch.operator.trial.TrialRenderer;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The benchmark's load driver and recorder, one program with two modes.
 *
 * <ul>
 *   <li>{@code baseline}: the "bare client". It renders the very Jobs the operator would create
 *       (the operator's own {@link TrialRenderer}, owner reference removed since no GridSearch
 *       exists), keeps {@code parallelism} of each search alive, and on each Job's Complete/Failed
 *       event deletes it (as the operator's default cleanup does) and creates the next. No planner,
 *       no results, no status: the limit of this control plane.
 *   <li>{@code operator}: creates the GridSearches and only watches the Jobs the running operator
 *       creates.
 * </ul>
 *
 * <p>Both record, with this process's wall clock, when each Job's ADDED event and its
 * Complete/Failed event arrive on one watch, so both modes are measured by the same observer.
 * Output: one JSON file.
 *
 * <p>Usage: {@code Load <baseline|operator> <namespace> <out.json> <gridsearch.yaml>...}; the
 * trials per search are the GridSearch's {@code budget.maxTrials} (or its grid size) and the
 * parallelism is its {@code parallelism}.
 */
public final class Load {

  record Rec(String search, long index, long added, long done, boolean failed) {}

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    String ns = args[1];
    Path out = Path.of(args[2]);
    KubernetesSerialization ser = new KubernetesSerialization();
    List<GridSearch> searches = new ArrayList<>();
    for (int i = 3; i < args.length; i++) {
      GridSearch gs = ser.unmarshal(Files.readString(Path.of(args[i])), GridSearch.class);
      gs.getMetadata().setNamespace(ns);
      searches.add(gs);
    }
    long total = 0;
    Map<String, Long> trials = new HashMap<>();
    for (GridSearch gs : searches) {
      Grid grid = SpecGrid.of(gs.getSpec().parameters());
      long n = grid.size().orElse(Long.MAX_VALUE);
      if (gs.getSpec().budget() != null && gs.getSpec().budget().maxTrials() != null) {
        n = Math.min(n, gs.getSpec().budget().maxTrials());
      }
      trials.put(gs.getMetadata().getName(), n);
      total += n;
    }
    Config config = Config.autoConfigure(null);
    config.setUserAgent("gridsearch-bench-" + mode);
    // The bare client gets as many connections as it wants: the comparison is against the server,
    // not a pool.
    config.setMaxConcurrentRequests(256);
    config.setMaxConcurrentRequestsPerHost(256);
    // The same HTTP client as the operator (JDK: the operator excludes Vert.x).
    HttpClient.Factory factory = new JdkHttpClientFactory();
    try (KubernetesClient client =
        new KubernetesClientBuilder().withConfig(config).withHttpClientFactory(factory).build()) {
      new Load(client, ser, ns, searches, trials, total).run(mode, out);
    }
    System.exit(0);
  }

  private final KubernetesClient client;
  private final KubernetesSerialization ser;
  private final String ns;
  private final List<GridSearch> searches;
  private final Map<String, Long> trials;
  private final long total;
  private final Map<String, long[]> added = new ConcurrentHashMap<>();
  private final Map<String, Rec> records = new ConcurrentHashMap<>();
  private final CountDownLatch allDone;
  private final AtomicInteger errors = new AtomicInteger();
  private volatile Watcher<Job> onFinish = null;

  private Load(
      KubernetesClient client,
      KubernetesSerialization ser,
      String ns,
      List<GridSearch> searches,
      Map<String, Long> trials,
      long total) {
    this.client = client;
    this.ser = ser;
    this.ns = ns;
    this.searches = searches;
    this.trials = trials;
    this.total = total;
    this.allDone = new CountDownLatch((int) total);
  }

  private static boolean finished(Job job, boolean[] failed) {
    if (job.getStatus() == null || job.getStatus().getConditions() == null) {
      return false;
    }
    for (JobCondition c : job.getStatus().getConditions()) {
      if ("True".equals(c.getStatus())
          && ("Complete".equals(c.getType()) || "Failed".equals(c.getType()))) {
        failed[0] = "Failed".equals(c.getType());
        return true;
      }
    }
    return false;
  }

  private void run(String mode, Path out) throws Exception {
    Map<String, Object> result = new HashMap<>();
    Watch watch =
        client
            .batch()
            .v1()
            .jobs()
            .inNamespace(ns)
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, Job job) {
                    long now = System.currentTimeMillis();
                    String name = job.getMetadata().getName();
                    Map<String, String> labels = job.getMetadata().getLabels();
                    if (labels == null || !labels.containsKey("gridsearch.dev/name")) {
                      return;
                    }
                    added.putIfAbsent(name, new long[] {now});
                    boolean[] failed = new boolean[1];
                    if (action != Action.DELETED
                        && !records.containsKey(name)
                        && finished(job, failed)) {
                      Rec r =
                          new Rec(
                              labels.get("gridsearch.dev/name"),
                              Long.parseLong(labels.get("gridsearch.dev/trial-index")),
                              added.get(name)[0],
                              now,
                              failed[0]);
                      if (records.putIfAbsent(name, r) == null) {
                        if (records.size() == 1000) {
                          System.err.println(
                              "[load] 1000 trials finished"); // run.sh measures the operator's live
                          // heap here
                        }
                        Watcher<Job> hook = onFinish;
                        if (hook != null) {
                          hook.eventReceived(action, job);
                        }
                        allDone.countDown();
                      }
                    }
                  }

                  @Override
                  public void onClose(WatcherException cause) {
                    System.err.println("[load] watch closed: " + cause);
                  }
                });
    long t0 = System.currentTimeMillis();
    result.put("t0", t0);
    if (mode.equals("baseline")) {
      baseline();
    } else {
      for (GridSearch gs : searches) {
        client.resource(gs).create();
      }
    }
    // Status size (operator mode): sample every 2 s while the run lasts, keep the largest.
    AtomicLong maxStatus = new AtomicLong();
    Map<String, Long> lastStatus = new ConcurrentHashMap<>();
    var sampler = Executors.newSingleThreadScheduledExecutor();
    if (mode.equals("operator")) {
      sampler.scheduleWithFixedDelay(
          () -> sampleStatus(maxStatus, lastStatus), 2, 2, TimeUnit.SECONDS);
    }
    long timeoutMin = Long.parseLong(System.getProperty("bench.timeoutMinutes", "20"));
    boolean ok = allDone.await(timeoutMin, TimeUnit.MINUTES);
    long tEnd = System.currentTimeMillis();
    if (mode.equals("operator")) {
      // Wait (up to 60 s) until every search reports a final phase, then take the final status
      // sizes.
      long deadline = System.currentTimeMillis() + 60_000;
      while (System.currentTimeMillis() < deadline && !allFinal()) {
        Thread.sleep(250);
      }
      result.put("tFinal", System.currentTimeMillis());
      sampler.shutdownNow();
      sampleStatus(maxStatus, lastStatus);
      result.put("statusBytesMax", maxStatus.get());
      result.put("statusBytesFinal", lastStatus);
    }
    watch.close();
    result.put("mode", mode);
    result.put("complete", ok);
    result.put("tEnd", tEnd);
    result.put("expected", total);
    result.put("errors", errors.get());
    result.put("trials", trials);
    Map<String, Integer> par = new HashMap<>();
    searches.forEach(s -> par.put(s.getMetadata().getName(), s.getSpec().parallelism()));
    result.put("parallelism", par);
    List<Map<String, Object>> jobs = new ArrayList<>();
    for (Map.Entry<String, Rec> e : records.entrySet()) {
      Rec r = e.getValue();
      jobs.add(
          Map.of(
              "job",
              e.getKey(),
              "search",
              r.search(),
              "index",
              r.index(),
              "added",
              r.added(),
              "done",
              r.done(),
              "failed",
              r.failed()));
    }
    result.put("jobs", jobs);
    Files.writeString(out, ser.asJson(result));
    System.err.printf(
        "[load] %s: %d/%d trials finished in %.1f s%n",
        mode, records.size(), total, (tEnd - t0) / 1000.0);
    if (!ok) {
      System.exit(2);
    }
  }

  private boolean allFinal() {
    for (GridSearch gs : searches) {
      GridSearch now =
          client
              .resources(GridSearch.class)
              .inNamespace(ns)
              .withName(gs.getMetadata().getName())
              .get();
      String phase =
          now == null || now.getStatus() == null
              ? null
              : ser.convertValue(now.getStatus(), Map.class).getOrDefault("phase", "").toString();
      if (phase == null || !(phase.equals("Succeeded") || phase.equals("Failed"))) {
        return false;
      }
    }
    return true;
  }

  private void sampleStatus(AtomicLong max, Map<String, Long> last) {
    try {
      for (GridSearch gs : client.resources(GridSearch.class).inNamespace(ns).list().getItems()) {
        long bytes = gs.getStatus() == null ? 0 : ser.asJson(gs.getStatus()).getBytes().length;
        max.accumulateAndGet(bytes, Math::max);
        last.put(gs.getMetadata().getName(), bytes);
      }
    } catch (RuntimeException e) {
      System.err.println("[load] status sample failed: " + e);
    }
  }

  /**
   * The bare client: per search, keep parallelism Jobs alive; each finish deletes its Job and
   * creates the next.
   */
  private void baseline() throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(32);
    Map<String, TrialRenderer> renderers = new HashMap<>();
    Map<String, AtomicLong> next = new HashMap<>();
    for (GridSearch gs : searches) {
      gs.getMetadata().setUid("00000000-0000-0000-0000-000000000000");
      renderers.put(
          gs.getMetadata().getName(),
          new TrialRenderer(gs, SpecGrid.of(gs.getSpec().parameters()), ser));
      next.put(gs.getMetadata().getName(), new AtomicLong());
    }
    java.util.function.Consumer<String> launchOne =
        search -> {
          long i = next.get(search).getAndIncrement();
          if (i >= trials.get(search)) {
            return;
          }
          Job job = renderers.get(search).render(i);
          job.getMetadata().setOwnerReferences(null);
          job.getMetadata().setNamespace(ns);
          pool.submit(
              () -> {
                try {
                  client.resource(job).create();
                } catch (KubernetesClientException e) {
                  errors.incrementAndGet();
                  System.err.println(
                      "[load] create " + job.getMetadata().getName() + ": " + e.getMessage());
                }
              });
        };
    onFinish =
        new Watcher<>() {
          @Override
          public void eventReceived(Action action, Job job) {
            String search = job.getMetadata().getLabels().get("gridsearch.dev/name");
            pool.submit(
                () -> {
                  try {
                    client
                        .batch()
                        .v1()
                        .jobs()
                        .inNamespace(ns)
                        .withName(job.getMetadata().getName())
                        .withPropagationPolicy(DeletionPropagation.BACKGROUND)
                        .delete();
                  } catch (KubernetesClientException e) {
                    errors.incrementAndGet();
                  }
                });
            launchOne.accept(search);
          }

          @Override
          public void onClose(WatcherException cause) {}
        };
    for (GridSearch gs : searches) {
      for (int k = 0; k < gs.getSpec().parallelism(); k++) {
        launchOne.accept(gs.getMetadata().getName());
      }
    }
  }
}
