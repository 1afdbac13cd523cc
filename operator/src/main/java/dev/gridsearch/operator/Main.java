package dev.gridsearch.operator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.gridsearch.operator.metrics.MicrometerGridSearchMetrics;
import dev.gridsearch.operator.metrics.SdkMetrics;
import dev.gridsearch.operator.plan.Planner;
import dev.gridsearch.operator.reconcile.GridSearchReconciler;
import dev.gridsearch.operator.reconcile.JobCreationLimiter;
import dev.gridsearch.operator.reconcile.ReconcileSpacing;
import dev.gridsearch.operator.results.ResultCodec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.logging.log4j.core.LoggerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the operator: one controller behind leader election, and /healthz, /readyz and /metrics.
 */
public final class Main {
  public static final String LEADER_GAUGE = "gridsearch.operator.leader";
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  /**
   * Reconciles at once (JOSDK's default: 50). Their requests share the actor's 16 request threads,
   * so more threads only add stacks and garbage in flight (issue 17: 50 of them under 50 searches).
   */
  static final int RECONCILE_THREADS = 16;

  private Main() {}

  /** A started operator: the JOSDK operator, whether this replica leads, and its meters. */
  public record Started(Operator operator, AtomicBoolean leading, MeterRegistry registry) {
    /**
     * Ready when the controller's informers are started and synced: for the leader that means it
     * reconciles from a complete cache; a standby keeps its informers warm too, so it is ready to
     * take over and reports ready.
     */
    public boolean ready() {
      return operator.getRuntimeInfo().isStarted()
          && operator.getRuntimeInfo().allEventSourcesAreHealthy();
    }
  }

  public static void main(String[] args) throws IOException {
    OperatorConfig config = OperatorConfig.from(System.getenv(), args);
    configureLogging(config);
    Logger log = LoggerFactory.getLogger(Main.class);
    PrometheusMeterRegistry registry = newRegistry();

    // The endpoints come up first, so the liveness probe passes while the informers sync; /readyz
    // waits for them.
    Started[] started = new Started[1];
    HttpServer http = HttpServer.create(new InetSocketAddress(config.httpPort()), 0);
    http.createContext("/healthz", exchange -> respond(exchange, 200, "text/plain", "ok"));
    http.createContext(
        "/readyz",
        exchange -> {
          Started s = started[0];
          boolean ready = s != null && s.ready();
          respond(
              exchange,
              ready ? 200 : 503,
              "text/plain",
              !ready ? "not ready" : s.leading().get() ? "ok (leader)" : "ok (standby)");
        });
    http.createContext(
        "/metrics", exchange -> respond(exchange, 200, PROMETHEUS_TEXT, registry.scrape()));
    http.start();
    log.info("http endpoints on port {}", http.getAddress().getPort());

    // Fabric8 allows 5 concurrent requests per host by default; a reconcile sends up to 16 at once
    // (PlanActor).
    io.fabric8.kubernetes.client.Config clientConfig =
        io.fabric8.kubernetes.client.Config.autoConfigure(null);
    clientConfig.setMaxConcurrentRequests(128);
    clientConfig.setMaxConcurrentRequestsPerHost(64);
    KubernetesClient client = new KubernetesClientBuilder().withConfig(clientConfig).build();
    started[0] = start(client, config, Clock.systemUTC(), registry);
    started[0].operator().installShutdownHook(Duration.ofSeconds(10));
    Runtime.getRuntime().addShutdownHook(new Thread(() -> http.stop(0)));
    log.info(
        "gridsearch-operator started: namespaces={}, jobCreateRate={}/s, lease {}/{}",
        config.watchNamespaces().isEmpty() ? "all" : config.watchNamespaces(),
        config.jobCreateRate(),
        config.leaseNamespace(),
        config.leaseName());
  }

  /**
   * Registers the reconciler and starts the operator with fresh meters; tests call this to run it
   * in-process.
   */
  public static Operator start(KubernetesClient client, OperatorConfig config, Clock clock) {
    return start(client, config, clock, newRegistry()).operator();
  }

  /**
   * The Prometheus registry with JVM meters; filters come first, as Micrometer applies them at
   * registration.
   */
  public static PrometheusMeterRegistry newRegistry() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().meterFilter(SdkMetrics.describeSdkMeters());
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    // Not ProcessorMetrics: its system_cpu_count and process_cpu_time_ns names fail promtool's
    // lint.
    return registry;
  }

  public static Started start(
      KubernetesClient client, OperatorConfig config, Clock clock, MeterRegistry registry) {
    Logger log = LoggerFactory.getLogger(Main.class);
    AtomicBoolean leading = new AtomicBoolean(false);
    Gauge.builder(LEADER_GAUGE, leading, l -> l.get() ? 1 : 0)
        .description("1 when this replica holds the leader-election Lease")
        .register(registry);
    MicrometerGridSearchMetrics domain = new MicrometerGridSearchMetrics(registry);
    // Per-resource JOSDK meters would put every search's name on every reconcile meter: not worth
    // the cardinality.
    GridSearchReconciler reconciler =
        new GridSearchReconciler(
            new Planner(new ResultCodec()),
            new ResultCodec(),
            client,
            new JobCreationLimiter(clock, config.jobCreateRate()),
            domain,
            clock);
    SdkMetrics sdkMetrics =
        new SdkMetrics(
            MicrometerMetrics.withoutPerResourceMetrics(registry), domain, reconciler::forget);
    LeaderElectionConfigurationBuilder election =
        LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(config.leaseName())
            .withLeaseNamespace(config.leaseNamespace())
            .withLeaderCallbacks(
                new LeaderCallbacks(
                    () -> {
                      leading.set(true);
                      log.info(
                          "leading: this replica holds Lease {}/{}",
                          config.leaseNamespace(),
                          config.leaseName());
                    },
                    () -> leading.set(false),
                    leader -> log.info("the leader is {}", leader)));
    if (!config.identity().isBlank()) {
      election.withIdentity(config.identity());
    }
    // Resource versions are compared so that the status the reconciler caches after writing it is
    // not replaced by
    // an older one the informer delivers late (JOSDK's PrimaryUpdateAndCacheUtils relies on it).
    Operator operator =
        new Operator(
            o ->
                o.withKubernetesClient(client)
                    .withCloseClientOnStop(false)
                    .withParseResourceVersions(true)
                    .withConcurrentReconciliationThreads(RECONCILE_THREADS)
                    .withMetrics(sdkMetrics)
                    .withLeaderElectionConfiguration(election.build()));
    operator.register(
        reconciler,
        o -> {
          o.withRateLimiter(new ReconcileSpacing(clock, ReconcileSpacing.DEFAULT));
          if (!config.watchNamespaces().isEmpty()) {
            o.settingNamespaces(config.watchNamespaces());
          }
        });
    operator.start();
    return new Started(operator, leading, registry);
  }

  /**
   * log4j2.xml reads these properties; flags must win over the environment, so set them and
   * reconfigure.
   */
  private static void configureLogging(OperatorConfig config) {
    System.setProperty("gridsearch.log.level", config.logLevel());
    System.setProperty("gridsearch.log.format", config.logFormat().name());
    LoggerContext.getContext(false).reconfigure();
  }

  private static void respond(HttpExchange exchange, int code, String contentType, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(code, bytes.length);
    try (var out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
