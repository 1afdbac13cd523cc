package dev.gridsearch.operator;

import com.sun.net.httpserver.HttpServer;
import dev.gridsearch.operator.metrics.GridSearchMetrics;
import dev.gridsearch.operator.plan.Planner;
import dev.gridsearch.operator.reconcile.GridSearchReconciler;
import dev.gridsearch.operator.reconcile.JobCreationLimiter;
import dev.gridsearch.operator.results.ResultCodec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the operator: one controller, its health endpoints, nothing else. */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) throws IOException {
    OperatorConfig config = OperatorConfig.from(System.getenv(), args);
    KubernetesClient client = new KubernetesClientBuilder().build();
    Operator operator = start(client, config, Clock.systemUTC());
    AtomicBoolean ready = new AtomicBoolean(true);
    HttpServer http = HttpServer.create(new InetSocketAddress(config.httpPort()), 0);
    http.createContext("/healthz", exchange -> respond(exchange, 200, "ok"));
    http.createContext("/readyz", exchange -> respond(exchange, ready.get() ? 200 : 503, ready.get() ? "ok" : "not ready"));
    http.start();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      ready.set(false);
      http.stop(0);
    }));
    operator.installShutdownHook(Duration.ofSeconds(10));
    LOG.info("gridsearch-operator started: namespaces={}, jobCreateRate={}/s, http port {}",
        config.watchNamespaces().isEmpty() ? "all" : config.watchNamespaces(), config.jobCreateRate(),
        config.httpPort());
  }

  /** Registers the reconciler and starts the operator; tests call this to run it in-process. */
  public static Operator start(KubernetesClient client, OperatorConfig config, Clock clock) {
    Operator operator = new Operator(o -> o.withKubernetesClient(client).withCloseClientOnStop(false));
    GridSearchReconciler reconciler = new GridSearchReconciler(new Planner(new ResultCodec()), new ResultCodec(),
        client, new JobCreationLimiter(clock, config.jobCreateRate()), GridSearchMetrics.NONE, clock);
    operator.register(reconciler, o -> {
      if (!config.watchNamespaces().isEmpty()) {
        o.settingNamespaces(config.watchNamespaces());
      }
    });
    operator.start();
    return operator;
  }

  private static void respond(com.sun.net.httpserver.HttpExchange exchange, int code, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(code, bytes.length);
    try (var out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
