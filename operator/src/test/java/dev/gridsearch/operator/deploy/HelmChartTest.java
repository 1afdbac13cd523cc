package dev.gridsearch.operator.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import dev.gridsearch.operator.metrics.Promtool;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The chart through real Helm: lint, and what it renders with default and non-default values. */
class HelmChartTest {
  private static final String RELEASE = "gridsearch-operator";
  private static final String NS = "gridsearch-system";

  /** The least privilege the operator needs, one line per rule: group, resources, verbs. */
  static final List<String> OPERATOR_RULES = List.of(
      "gridsearch.dev [gridsearches] [get, list, watch, patch, update]",
      "gridsearch.dev [gridsearches/status] [get, patch, update]",
      "gridsearch.dev [gridsearches/finalizers] [update]",
      "batch [jobs] [get, list, watch, create, patch, delete]",
      " [pods] [get, list, watch]",
      " [configmaps] [get, list, watch, create, update, patch]",
      " [resourcequotas, limitranges] [get, list, watch]",
      ",events.k8s.io [events] [create, patch]");

  @Test
  void lintsCleanInStrictMode() {
    LintResult lint = new Helm(ChartRender.CHART).lint().strict().call();
    assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
  }

  @Test
  void defaultsRenderAClusterRoleTheRestrictedDeploymentAndTheMetricsService() {
    ChartRender chart = ChartRender.template(RELEASE, NS, Map.of());

    assertThat(chart.objects().stream().map(o -> o.getKind() + "/" + o.getMetadata().getName())).containsExactlyInAnyOrder(
        "ServiceAccount/gridsearch-operator", "ClusterRole/gridsearch-operator",
        "ClusterRoleBinding/gridsearch-operator", "Role/gridsearch-operator-leader-election",
        "RoleBinding/gridsearch-operator-leader-election", "Deployment/gridsearch-operator",
        "Service/gridsearch-operator");
    assertThat(rules(chart.typed("ClusterRole", RELEASE, ClusterRole.class).getRules())).isEqualTo(OPERATOR_RULES);
    assertThat(rules(chart.typed("Role", RELEASE + "-leader-election", Role.class).getRules()))
        // Fabric8's LeaseLock renews the Lease with a PATCH (RbacIT failed with 403 without it).
        .containsExactly("coordination.k8s.io [leases] [get, create, update, patch]");

    PodSpec pod = chart.typed("Deployment", RELEASE, Deployment.class).getSpec().getTemplate().getSpec();
    Container c = pod.getContainers().get(0);
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");
    assertThat(c.getResources().getLimits()).containsKey("memory");
    assertThat(env(c)).containsEntry("GRIDSEARCH_WATCH_NAMESPACES", "").containsEntry("GRIDSEARCH_LOG_FORMAT", "json")
        .containsEntry("GRIDSEARCH_LOG_LEVEL", "info").containsEntry("GRIDSEARCH_HTTP_PORT", "8080")
        .containsKeys("POD_NAMESPACE", "POD_NAME");
    assertThat(chart.yaml()).doesNotContain("secrets", "pods/log");
  }

  @Test
  void watchNamespacesGiveARolePerNamespaceAndNoClusterRole() {
    ChartRender chart = ChartRender.template("gs", "ops", Map.of("watchNamespaces[0]", "team-a", "watchNamespaces[1]", "team-b",
        "logFormat", "text", "logLevel", "debug", "jobCreateRate", "5"));

    assertThat(chart.ofKind("ClusterRole")).isEmpty();
    assertThat(chart.ofKind("ClusterRoleBinding")).isEmpty();
    assertThat(chart.ofKind("Role").stream().map(r -> r.getMetadata().getNamespace() + "/" + r.getMetadata().getName()))
        .containsExactlyInAnyOrder("team-a/gs-gridsearch-operator", "team-b/gs-gridsearch-operator",
            "ops/gs-gridsearch-operator-leader-election");
    assertThat(rules(chart.typed("Role", "gs-gridsearch-operator", Role.class).getRules())).isEqualTo(OPERATOR_RULES);
    assertThat(chart.ofKind("RoleBinding")).allSatisfy(b -> assertThat(b.getAdditionalProperties().toString())
        .contains("name=gs-gridsearch-operator, namespace=ops"));
    Container c = chart.typed("Deployment", "gs-gridsearch-operator", Deployment.class).getSpec().getTemplate()
        .getSpec().getContainers().get(0);
    assertThat(env(c)).containsEntry("GRIDSEARCH_WATCH_NAMESPACES", "team-a,team-b")
        .containsEntry("GRIDSEARCH_LOG_FORMAT", "text").containsEntry("GRIDSEARCH_LOG_LEVEL", "debug")
        .containsEntry("GRIDSEARCH_JOB_CREATE_RATE", "5");
  }

  @Test
  void monitoringObjectsWhenEnabledAndTheAlertsPassPromtool() throws Exception {
    ChartRender chart = ChartRender.template(RELEASE, NS, Map.of("serviceMonitor.enabled", "true",
        "serviceMonitor.labels.release", "prometheus", "prometheusRule.enabled", "true",
        "prometheusRule.noProgressMinutes", "45", "grafanaDashboard.enabled", "true"));

    GenericKubernetesResource monitor = chart.find("ServiceMonitor", RELEASE).orElseThrow();
    assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "prometheus");
    assertThat(ChartRender.YAML.asYaml(monitor.getAdditionalProperties().get("spec")))
        .contains("port: \"http\"", "path: \"/metrics\"", "honorLabels: true");
    GenericKubernetesResource rule = chart.find("PrometheusRule", RELEASE).orElseThrow();
    String rules = ChartRender.YAML.asYaml(rule.getAdditionalProperties().get("spec"));
    assertThat(rules).contains("GridSearchTrialFailureRatioHigh", "GridSearchNoProgress", "[45m]",
        "GridSearchQuotaLimited", "GridSearchOperatorDown");
    Promtool.Result check = Promtool.checkRules(rules);
    assertThat(check.exitCode()).as(check.output()).isZero();
    assertThat(check.output()).contains("SUCCESS: 5 rules found");
    GenericKubernetesResource dashboard = chart.find("ConfigMap", RELEASE + "-dashboard").orElseThrow();
    assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
    String json = String.valueOf(((Map<?, ?>) dashboard.getAdditionalProperties().get("data"))
        .get("gridsearch-operator.json"));
    ChartRender.YAML.unmarshal(json, Map.class); // valid JSON, or this throws
    assertThat(json).contains("gridsearch_trials_finished_total", "gridsearch_search_best_objective");
  }

  @Test
  void theSchemaRefusesBadValues() {
    assertThatThrownBy(() -> ChartRender.template(RELEASE, NS, Map.of("logFormat", "xml")))
        .hasMessageContaining("logFormat");
    assertThatThrownBy(() -> ChartRender.template(RELEASE, NS, Map.of("jobCreateRate", "0")))
        .hasMessageContaining("jobCreateRate");
    assertThatThrownBy(() -> ChartRender.template(RELEASE, NS, Map.of("replica", "2")))
        .hasMessageContaining("replica");
  }

  static List<String> rules(List<PolicyRule> rules) {
    return rules.stream().map(r -> String.join(",", r.getApiGroups()) + " " + r.getResources() + " " + r.getVerbs())
        .toList();
  }

  static Map<String, String> env(Container c) {
    return c.getEnv().stream().collect(Collectors.toMap(EnvVar::getName,
        e -> e.getValue() == null ? "<from " + e.getValueFrom() + ">" : e.getValue()));
  }
}
