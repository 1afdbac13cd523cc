package dev.gridsearch.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gridsearch.operator.api.GridSearch;
import dev.gridsearch.operator.api.GridSearchStatus.Phase;
import dev.gridsearch.operator.metrics.Promtool;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The operator's runtime with two replicas as separate JVMs: one leads through the Lease, both are
 * ready, the leader's /metrics passes promtool and shows the search, and the standby takes over
 * when the leader is killed.
 */
@ExtendWith(ClusterExtension.class)
class OperatorRuntimeIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private final ClusterNamespace ns;
  private final Searches searches;

  OperatorRuntimeIT(ClusterNamespace ns) {
    this.ns = ns;
    this.searches = new Searches(ns);
  }

  static String search(String name) {
    return """
        apiVersion: gridsearch.dev/v1alpha1
        kind: GridSearch
        metadata: {name: %s}
        spec:
          parameters:
            - {name: a, values: [1, 2, 3]}
          objective: {metric: acc, goal: Maximize}
          parallelism: 3
          trialTemplate:
            spec:
              template:
                metadata:
                  annotations:
                    sim.gridsearch.dev/duration: 1s
                    sim.gridsearch.dev/message: '{"acc": 0.${params.a}}'
                spec:
                  containers: [{name: train, image: busybox:1.36}]
        """
        .formatted(name);
  }

  @Test
  void oneLeaderServesMetricsAndTheStandbyTakesOver() throws Exception {
    try (OperatorProcess a = new OperatorProcess(ns, "--identity=replica-a").start();
        OperatorProcess b = new OperatorProcess(ns, "--identity=replica-b").start()) {
      String leader = await().atMost(Duration.ofSeconds(60)).until(this::holder, h -> h != null);
      OperatorProcess leading = leader.equals("replica-a") ? a : b;
      OperatorProcess standby = leading == a ? b : a;
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                assertThat(get(leading, "/readyz")).isEqualTo("200 ok (leader)");
                assertThat(get(standby, "/readyz")).isEqualTo("200 ok (standby)");
                assertThat(get(standby, "/healthz")).isEqualTo("200 ok");
              });

      searches.apply(search("first"));
      GridSearch first = searches.awaitFinished("first", Duration.ofSeconds(90));
      assertThat(first.getStatus().phase()).isEqualTo(Phase.Succeeded);

      String metrics = body(leading, "/metrics");
      Promtool.Result check = Promtool.checkMetrics(metrics);
      assertThat(check.exitCode()).as(check.output()).isZero();
      String nsLabel = "namespace=\"" + ns.name() + "\"";
      assertThat(
              value(
                  metrics, "gridsearch_trials_finished_total{" + nsLabel + ",state=\"Succeeded\"}"))
          .isEqualTo(3);
      assertThat(value(metrics, "gridsearch_search_best_objective{name=\"first\"," + nsLabel + "}"))
          .isEqualTo(0.3);
      assertThat(value(metrics, "gridsearch_searches{" + nsLabel + ",phase=\"Succeeded\"}"))
          .isEqualTo(1);
      assertThat(value(metrics, "gridsearch_operator_leader")).isEqualTo(1);
      assertThat(metrics).contains("gridsearch_trial_duration_seconds_bucket{", "operator_sdk_");
      assertThat(value(body(standby, "/metrics"), "gridsearch_operator_leader")).isEqualTo(0);
      System.out.printf(
          "[metrics] leader exposition: %d bytes, %d samples%n",
          metrics.length(), metrics.lines().filter(l -> !l.startsWith("#")).count());

      // Deleting the search removes its per-search gauge.
      ns.client().resources(GridSearch.class).inNamespace(ns.name()).withName("first").delete();
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(body(leading, "/metrics"))
                      .doesNotContain("gridsearch_search_best_objective{name=\"first\""));

      leading.kill();
      String next =
          await()
              .atMost(Duration.ofSeconds(60))
              .until(this::holder, h -> h != null && !h.equals(leader));
      assertThat(next).isEqualTo(standby == a ? "replica-a" : "replica-b");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> get(standby, "/readyz").equals("200 ok (leader)"));
      searches.apply(search("second"));
      assertThat(searches.awaitFinished("second", Duration.ofSeconds(90)).getStatus().phase())
          .isEqualTo(Phase.Succeeded);
    }
  }

  private String holder() {
    Lease lease = ns.client().leases().inNamespace(ns.name()).withName("gridsearch-operator").get();
    return lease == null ? null : lease.getSpec().getHolderIdentity();
  }

  private static String get(OperatorProcess p, String path) {
    try {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(uri(p, path)).build(), HttpResponse.BodyHandlers.ofString());
      return r.statusCode() + " " + r.body();
    } catch (IOException | InterruptedException | IllegalStateException e) {
      return "unreachable: " + e;
    }
  }

  private static String body(OperatorProcess p, String path)
      throws IOException, InterruptedException {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(uri(p, path)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
    return r.body();
  }

  private static URI uri(OperatorProcess p, String path) throws IOException {
    int port = p.httpPort().orElseThrow(() -> new IllegalStateException("no port logged yet"));
    return URI.create("http://127.0.0.1:" + port + path);
  }

  /** The value of one sample, by its exact series text. */
  private static double value(String exposition, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(exposition);
    assertThat(m.find()).as("series " + series + " in:\n" + exposition).isTrue();
    return Double.parseDouble(m.group(1));
  }
}
