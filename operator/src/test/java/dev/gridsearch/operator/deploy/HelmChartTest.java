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
  static final List<String> OPERATOR_RULES =
      List.of(
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

    assertThat(chart.objects().stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()))
        .containsExactlyInAnyOrder(
            "ServiceAccount/gridsearch-operator",
            "ClusterRole/gridsearch-operator",
            "ClusterRoleBinding/gridsearch-operator",
            "Role/gridsearch-operator-leader-election",
            "RoleBinding/gridsearch-operator-leader-election",
            "Deployment/gridsearch-operator",
            "Service/gridsearch-operator",
            "ValidatingAdmissionPolicy/gridsearch-operator",
            "ValidatingAdmissionPolicyBinding/gridsearch-operator",
            "ClusterRole/gridsearch-operator-view",
            "ClusterRole/gridsearch-operator-edit");
    assertThat(rules(chart.typed("ClusterRole", RELEASE, ClusterRole.class).getRules()))
        .isEqualTo(OPERATOR_RULES);
    assertThat(rules(chart.typed("Role", RELEASE + "-leader-election", Role.class).getRules()))
        // Fabric8's LeaseLock renews the Lease with a PATCH (RbacIT failed with 403 without it);
        // create cannot be
        // limited by name, the rest is limited to the Lease the operator is told to use.
        .containsExactly(
            "coordination.k8s.io [leases] [create]",
            "coordination.k8s.io [leases] [get, update, patch] names [gridsearch-operator]");

    PodSpec pod =
        chart.typed("Deployment", RELEASE, Deployment.class).getSpec().getTemplate().getSpec();
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
    assertThat(env(c))
        .containsEntry("GRIDSEARCH_WATCH_NAMESPACES", "")
        .containsEntry("GRIDSEARCH_LOG_FORMAT", "json")
        .containsEntry("GRIDSEARCH_LOG_LEVEL", "info")
        .containsEntry("GRIDSEARCH_HTTP_PORT", "8080")
        .containsEntry("GRIDSEARCH_LEASE_NAME", "gridsearch-operator")
        .containsKeys("POD_NAMESPACE", "POD_NAME");
    assertThat(chart.yaml()).doesNotContain("secrets", "pods/log");
    // /tmp is bounded, and the scheduler counts it.
    assertThat(pod.getVolumes().get(0).getEmptyDir().getSizeLimit()).hasToString("64Mi");
    assertThat(c.getResources().getRequests().get("ephemeral-storage")).hasToString("64Mi");
    assertThat(pod.getTopologySpreadConstraints()).isEmpty();
    assertThat(pod.getAffinity()).isNull();
    assertThat(chart.ofKind("PodDisruptionBudget")).isEmpty();
    assertThat(chart.ofKind("NetworkPolicy")).isEmpty();
  }

  @Test
  void theAdmissionPolicyChecksJobCreationAndTheOptInRulesRenderOnlyWhenAsked() {
    ChartRender chart = ChartRender.template(RELEASE, NS, Map.of());
    String policy =
        ChartRender.YAML.asYaml(chart.find("ValidatingAdmissionPolicy", RELEASE).orElseThrow());
    assertThat(policy)
        .contains(
            "authorizer.group('batch').resource('jobs').namespace(request.namespace)"
                + ".check('create').allowed()",
            "request.userInfo.username",
            "failurePolicy: \"Fail\"")
        .doesNotContain("hostNetwork", "serviceAccountName");
    String binding =
        ChartRender.YAML.asYaml(
            chart.find("ValidatingAdmissionPolicyBinding", RELEASE).orElseThrow());
    assertThat(binding)
        .contains("policyName: \"gridsearch-operator\"", "- \"Deny\"")
        .doesNotContain("namespaceSelector");

    ChartRender strict =
        ChartRender.template(
            "gs",
            NS,
            Map.of(
                "admissionPolicy.denyHostAccess",
                "true",
                "admissionPolicy.allowedServiceAccounts[0]",
                "trainer",
                "admissionPolicy.allowedServiceAccounts[1]",
                "default",
                "watchNamespaces[0]",
                "team-a"));
    String strictPolicy =
        ChartRender.YAML.asYaml(
            strict.find("ValidatingAdmissionPolicy", "gs-gridsearch-operator").orElseThrow());
    assertThat(strictPolicy)
        .contains("hostNetwork", "hostPID", "hostPath", "privileged", "in ['trainer','default']");
    assertThat(
            ChartRender.YAML.asYaml(
                strict
                    .find("ValidatingAdmissionPolicyBinding", "gs-gridsearch-operator")
                    .orElseThrow()))
        .contains("kubernetes.io/metadata.name", "team-a");

    ChartRender off =
        ChartRender.template(
            RELEASE,
            NS,
            Map.of("admissionPolicy.enabled", "false", "aggregatedRoles.enabled", "false"));
    assertThat(off.ofKind("ValidatingAdmissionPolicy")).isEmpty();
    assertThat(off.ofKind("ValidatingAdmissionPolicyBinding")).isEmpty();
    assertThat(off.ofKind("ClusterRole")).hasSize(1);
  }

  @Test
  void aggregatedRolesGiveViewReadAndEditWrite() {
    ChartRender chart = ChartRender.template(RELEASE, NS, Map.of());
    ClusterRole view = chart.typed("ClusterRole", RELEASE + "-view", ClusterRole.class);
    assertThat(view.getMetadata().getLabels())
        .containsEntry("rbac.authorization.k8s.io/aggregate-to-view", "true")
        .containsEntry("rbac.authorization.k8s.io/aggregate-to-edit", "true")
        .containsEntry("rbac.authorization.k8s.io/aggregate-to-admin", "true");
    assertThat(rules(view.getRules()))
        .containsExactly("gridsearch.dev [gridsearches, gridsearches/status] [get, list, watch]");
    ClusterRole edit = chart.typed("ClusterRole", RELEASE + "-edit", ClusterRole.class);
    assertThat(edit.getMetadata().getLabels())
        .doesNotContainKey("rbac.authorization.k8s.io/aggregate-to-view")
        .containsEntry("rbac.authorization.k8s.io/aggregate-to-edit", "true");
    assertThat(rules(edit.getRules()))
        .containsExactly(
            "gridsearch.dev [gridsearches] [create, update, patch, delete, deletecollection]");
  }

  @Test
  void replicasAboveOneGetAPodDisruptionBudgetAndSpreadOverNodes() {
    ChartRender chart = ChartRender.template(RELEASE, NS, Map.of("replicas", "2"));
    GenericKubernetesResource pdb = chart.find("PodDisruptionBudget", RELEASE).orElseThrow();
    assertThat(ChartRender.YAML.asYaml(pdb))
        .contains("minAvailable: 1", "app.kubernetes.io/instance: \"" + RELEASE);
    PodSpec pod =
        chart.typed("Deployment", RELEASE, Deployment.class).getSpec().getTemplate().getSpec();
    assertThat(
            pod.getAffinity()
                .getPodAntiAffinity()
                .getPreferredDuringSchedulingIgnoredDuringExecution())
        .singleElement()
        .satisfies(
            a ->
                assertThat(a.getPodAffinityTerm().getTopologyKey())
                    .isEqualTo("kubernetes.io/hostname"));
    assertThat(pod.getTopologySpreadConstraints())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.getTopologyKey()).isEqualTo("kubernetes.io/hostname");
              assertThat(t.getWhenUnsatisfiable()).isEqualTo("ScheduleAnyway");
            });
    assertThat(
            ChartRender.YAML.asYaml(
                ChartRender.template(
                        RELEASE,
                        NS,
                        Map.of("replicas", "3", "podDisruptionBudget.maxUnavailable", "1"))
                    .find("PodDisruptionBudget", RELEASE)
                    .orElseThrow()))
        .contains("maxUnavailable: 1")
        .doesNotContain("minAvailable");
    assertThat(
            ChartRender.template(
                    RELEASE, NS, Map.of("replicas", "2", "podDisruptionBudget.enabled", "false"))
                .ofKind("PodDisruptionBudget"))
        .isEmpty();
  }

  @Test
  void platformKnobsAreAcceptedAndRendered() {
    ChartRender chart =
        ChartRender.template(
            RELEASE,
            NS,
            Map.ofEntries(
                Map.entry("extraEnv[0].name", "JAVA_TOOL_OPTIONS"),
                Map.entry("extraEnv[0].value", "-Dx=1"),
                Map.entry("podLabels.team", "ml-platform"),
                Map.entry("priorityClassName", "system-cluster-critical"),
                Map.entry(
                    "serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn",
                    "arn:aws:iam::1:role/gs"),
                Map.entry("securityContext.fsGroup", "65532"),
                Map.entry("containerSecurityContext.runAsNonRoot", "true"),
                Map.entry("tmpVolume.sizeLimit", "128Mi"),
                Map.entry("networkPolicy.enabled", "true"),
                Map.entry(
                    "networkPolicy.metricsFrom[0].namespaceSelector.matchLabels.name",
                    "monitoring")));
    Deployment d = chart.typed("Deployment", RELEASE, Deployment.class);
    PodSpec pod = d.getSpec().getTemplate().getSpec();
    Container c = pod.getContainers().get(0);
    assertThat(env(c)).containsEntry("JAVA_TOOL_OPTIONS", "-Dx=1");
    assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
        .containsEntry("team", "ml-platform");
    assertThat(d.getSpec().getSelector().getMatchLabels()).doesNotContainKey("team");
    assertThat(pod.getPriorityClassName()).isEqualTo("system-cluster-critical");
    assertThat(pod.getSecurityContext().getFsGroup()).isEqualTo(65532L);
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(c.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(pod.getVolumes().get(0).getEmptyDir().getSizeLimit()).hasToString("128Mi");
    assertThat(c.getResources().getRequests().get("ephemeral-storage")).hasToString("128Mi");
    assertThat(chart.find("ServiceAccount", RELEASE).orElseThrow().getMetadata().getAnnotations())
        .containsEntry("eks.amazonaws.com/role-arn", "arn:aws:iam::1:role/gs");
    String policy = ChartRender.YAML.asYaml(chart.find("NetworkPolicy", RELEASE).orElseThrow());
    assertThat(policy)
        .contains(
            "- \"Ingress\"",
            "- \"Egress\"",
            "port: \"http\"",
            "name: \"monitoring\"",
            "port: 6443");
    // An explicit ephemeral-storage request wins over the sizeLimit.
    Container explicit =
        ChartRender.template(RELEASE, NS, Map.of("resources.requests.ephemeral-storage", "1Gi"))
            .typed("Deployment", RELEASE, Deployment.class)
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0);
    assertThat(explicit.getResources().getRequests().get("ephemeral-storage")).hasToString("1Gi");
  }

  @Test
  void notesNameTheNamespaceAndWarnWhenThePolicyIsOff() {
    // helm template leaves NOTES out; a client-only dry-run install renders them as helm install
    // prints them.
    String on =
        new Helm(ChartRender.CHART)
            .install()
            .withName(RELEASE)
            .withNamespace(NS)
            .clientOnly()
            .dryRun()
            .call()
            .getOutput();
    assertThat(on)
        .contains(
            "NOTES:",
            "installed in namespace gridsearch-system",
            "watches all namespaces",
            "refuses a GridSearch from anyone who may not create Jobs")
        .doesNotContain("WARNING");
    String off =
        new Helm(ChartRender.CHART)
            .install()
            .withName(RELEASE)
            .withNamespace(NS)
            .clientOnly()
            .dryRun()
            .set("admissionPolicy.enabled", "false")
            .set("watchNamespaces[0]", "team-a")
            .call()
            .getOutput();
    assertThat(off).contains("WARNING: admissionPolicy.enabled=false", "the namespaces team-a");
  }

  @Test
  void watchNamespacesGiveARolePerNamespaceAndNoClusterRole() {
    ChartRender chart =
        ChartRender.template(
            "gs",
            "ops",
            Map.of(
                "watchNamespaces[0]",
                "team-a",
                "watchNamespaces[1]",
                "team-b",
                "logFormat",
                "text",
                "logLevel",
                "debug",
                "jobCreateRate",
                "5"));

    // Only the aggregated user roles, which grant nothing by themselves; the operator gets no
    // ClusterRole.
    assertThat(chart.ofKind("ClusterRole").stream().map(r -> r.getMetadata().getName()))
        .containsExactlyInAnyOrder("gs-gridsearch-operator-view", "gs-gridsearch-operator-edit");
    assertThat(chart.ofKind("ClusterRoleBinding")).isEmpty();
    assertThat(
            chart.ofKind("Role").stream()
                .map(r -> r.getMetadata().getNamespace() + "/" + r.getMetadata().getName()))
        .containsExactlyInAnyOrder(
            "team-a/gs-gridsearch-operator",
            "team-b/gs-gridsearch-operator",
            "ops/gs-gridsearch-operator-leader-election");
    assertThat(rules(chart.typed("Role", "gs-gridsearch-operator", Role.class).getRules()))
        .isEqualTo(OPERATOR_RULES);
    assertThat(chart.ofKind("RoleBinding"))
        .allSatisfy(
            b ->
                assertThat(b.getAdditionalProperties().toString())
                    .contains("name=gs-gridsearch-operator, namespace=ops"));
    Container c =
        chart
            .typed("Deployment", "gs-gridsearch-operator", Deployment.class)
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0);
    assertThat(env(c))
        .containsEntry("GRIDSEARCH_WATCH_NAMESPACES", "team-a,team-b")
        .containsEntry("GRIDSEARCH_LOG_FORMAT", "text")
        .containsEntry("GRIDSEARCH_LOG_LEVEL", "debug")
        .containsEntry("GRIDSEARCH_JOB_CREATE_RATE", "5");
  }

  @Test
  void monitoringObjectsWhenEnabledAndTheAlertsPassPromtool() throws Exception {
    ChartRender chart =
        ChartRender.template(
            RELEASE,
            NS,
            Map.of(
                "serviceMonitor.enabled",
                "true",
                "serviceMonitor.labels.release",
                "prometheus",
                "prometheusRule.enabled",
                "true",
                "prometheusRule.noProgressMinutes",
                "45",
                "grafanaDashboard.enabled",
                "true"));

    GenericKubernetesResource monitor = chart.find("ServiceMonitor", RELEASE).orElseThrow();
    assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "prometheus");
    assertThat(ChartRender.YAML.asYaml(monitor.getAdditionalProperties().get("spec")))
        .contains("port: \"http\"", "path: \"/metrics\"", "honorLabels: true");
    GenericKubernetesResource rule = chart.find("PrometheusRule", RELEASE).orElseThrow();
    String rules = ChartRender.YAML.asYaml(rule.getAdditionalProperties().get("spec"));
    assertThat(rules)
        .contains(
            "GridSearchTrialFailureRatioHigh",
            "GridSearchNoProgress",
            "[45m]",
            "GridSearchQuotaLimited",
            "GridSearchOperatorDown");
    Promtool.Result check = Promtool.checkRules(rules);
    assertThat(check.exitCode()).as(check.output()).isZero();
    assertThat(check.output()).contains("SUCCESS: 5 rules found");
    GenericKubernetesResource dashboard =
        chart.find("ConfigMap", RELEASE + "-dashboard").orElseThrow();
    assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
    String json =
        String.valueOf(
            ((Map<?, ?>) dashboard.getAdditionalProperties().get("data"))
                .get("gridsearch-operator.json"));
    ChartRender.YAML.unmarshal(json, Map.class); // valid JSON, or this throws
    assertThat(json)
        .contains("gridsearch_trials_finished_total", "gridsearch_search_best_objective");
  }

  @Test
  void theSchemaRefusesBadValues() {
    assertThatThrownBy(() -> ChartRender.template(RELEASE, NS, Map.of("logFormat", "xml")))
        .hasMessageContaining("logFormat");
    assertThatThrownBy(() -> ChartRender.template(RELEASE, NS, Map.of("jobCreateRate", "0")))
        .hasMessageContaining("jobCreateRate");
    assertThatThrownBy(() -> ChartRender.template(RELEASE, NS, Map.of("replica", "2")))
        .hasMessageContaining("replica");
    // A number would reach the API server as a non-string env value, which it refuses.
    assertThatThrownBy(
            () ->
                ChartRender.template(
                    RELEASE, NS, Map.of("extraEnv[0].name", "X", "extraEnv[0].value", "1")))
        .hasMessageContaining("extraEnv");
    assertThatThrownBy(
            () -> ChartRender.template(RELEASE, NS, Map.of("tmpVolume.sizeLimit", "lots")))
        .hasMessageContaining("sizeLimit");
    assertThatThrownBy(
            () -> ChartRender.template(RELEASE, NS, Map.of("admissionPolicy.enabeld", "false")))
        .hasMessageContaining("enabeld");
  }

  static List<String> rules(List<PolicyRule> rules) {
    return rules.stream()
        .map(
            r ->
                String.join(",", r.getApiGroups())
                    + " "
                    + r.getResources()
                    + " "
                    + r.getVerbs()
                    + (r.getResourceNames() == null || r.getResourceNames().isEmpty()
                        ? ""
                        : " names " + r.getResourceNames()))
        .toList();
  }

  static Map<String, String> env(Container c) {
    return c.getEnv().stream()
        .collect(
            Collectors.toMap(
                EnvVar::getName,
                e -> e.getValue() == null ? "<from " + e.getValueFrom() + ">" : e.getValue()));
  }
}
