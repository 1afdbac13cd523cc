package dev.gridsearch.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.gridsearch.operator.api.GridSearch;
import dev.gridsearch.operator.api.GridSearchStatus.Phase;
import dev.gridsearch.operator.deploy.ChartRender;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The chart's ValidatingAdmissionPolicy on the real API server: a user allowed GridSearches but not
 * Jobs cannot have the operator create Jobs for them (the escalation of issue 13), while an admin's
 * search runs and the operator, running as the chart's ServiceAccount, still writes its
 * GridSearches. The binding is limited to this test's namespace (watchNamespaces), so other tests
 * on the same cluster are not affected.
 */
@ExtendWith(ClusterExtension.class)
class AdmissionPolicyIT {
  private static final String ESCALATION =
      """
      apiVersion: gridsearch.dev/v1alpha1
      kind: GridSearch
      metadata: {name: NAME}
      spec:
        parameters:
          - {name: a, values: [1]}
        objective: {metric: acc, goal: Maximize}
        suspend: true
        trialTemplate:
          spec:
            template:
              spec:
                serviceAccountName: powerful
                automountServiceAccountToken: true
                containers: [{name: train, image: busybox:1.36}]
                volumes: [{name: s, secret: {secretName: db-password}}]
      """;

  private final ClusterNamespace ns;
  private final String release;
  private ChartRender applied;

  AdmissionPolicyIT(ClusterNamespace ns) {
    this.ns = ns;
    this.release = "ap-" + ns.name();
  }

  @AfterEach
  void removePolicy() {
    if (applied != null) {
      policyObjects(applied).forEach(o -> ns.client().resource(o).delete());
    }
  }

  @Test
  void aUserWhoMayNotCreateJobsCannotCreateOrUpdateAGridSearchButAnAdminsSearchRuns()
      throws Exception {
    // mallory may do anything with GridSearches in the namespace, nothing with Jobs or Pods.
    ns.client()
        .rbac()
        .roles()
        .inNamespace(ns.name())
        .resource(
            new RoleBuilder()
                .withNewMetadata()
                .withName("gridsearch-only")
                .endMetadata()
                .addNewRule()
                .withApiGroups("gridsearch.dev")
                .withResources("gridsearches")
                .withVerbs("get", "list", "create", "update", "patch")
                .endRule()
                .build())
        .serverSideApply();
    bindRole("mallory", "gridsearch-only");
    ns.client()
        .serviceAccounts()
        .inNamespace(ns.name())
        .resource(
            new ServiceAccountBuilder()
                .withNewMetadata()
                .withName("powerful")
                .endMetadata()
                .build())
        .serverSideApply();
    try (KubernetesClient mallory = Identities.asUser(ns, "mallory")) {
      assertThat(Identities.allowed(mallory, ns.name(), "batch", "jobs", "create")).isFalse();
      // The control: without the policy the API server takes mallory's search, and the operator
      // would run it.
      assertThat(create(mallory, "escalation-0", true).getMetadata().getName())
          .isEqualTo("escalation-0");

      apply(Map.of());
      String refusal =
          await()
              .atMost(Duration.ofSeconds(30))
              .until(() -> refusal(mallory, "escalation-1"), r -> r != null);
      assertThat(refusal)
          .contains(
              "user mallory may not create Jobs in namespace " + ns.name(),
              "ValidatingAdmissionPolicy '" + release + "-gridsearch-operator'");
      assertThat(
              ns.client()
                  .resources(GridSearch.class)
                  .inNamespace(ns.name())
                  .withName("escalation-1")
                  .get())
          .isNull();

      // An admin's search: created, then run by the operator as the chart's ServiceAccount, whose
      // own writes to
      // the GridSearch (finalizer, spec defaults) pass the same policy.
      Path operatorConfig = operatorServiceAccount();
      ns.client()
          .resources(GridSearch.class)
          .inNamespace(ns.name())
          .resource(
              ns.client()
                  .getKubernetesSerialization()
                  .unmarshal(OperatorRuntimeIT.search("by-admin"), GridSearch.class))
          .create();
      try (OperatorProcess operator =
          new OperatorProcess(
                  ns, operatorConfig, "--lease-name=" + release + "-gridsearch-operator")
              .start()) {
        Searches searches = new Searches(ns);
        GridSearch done = searches.awaitFinished("by-admin", Duration.ofSeconds(120));
        assertThat(done.getStatus().phase()).as(operator.log()).isEqualTo(Phase.Succeeded);
        assertThat(searches.records("by-admin")).hasSize(3);
        assertThat(operator.log()).doesNotContain("ValidatingAdmissionPolicy", "Forbidden");
      }

      // An update is checked too: mallory cannot resume the search the API server took before the
      // policy.
      assertThatThrownBy(
              () ->
                  mallory
                      .resources(GridSearch.class)
                      .inNamespace(ns.name())
                      .withName("escalation-0")
                      .edit(
                          g -> {
                            g.getMetadata().getLabels().put("touched", "yes");
                            return g;
                          }))
          .isInstanceOf(KubernetesClientException.class)
          .hasMessageContaining("user mallory may not create Jobs in namespace " + ns.name());
    }
    // Someone who may create Jobs passes: the policy adds nothing to what they could do by hand.
    bindRole("jo", "gridsearch-only");
    bindClusterRole("jo", "edit");
    try (KubernetesClient jo = Identities.asUser(ns, "jo")) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> Identities.allowed(jo, ns.name(), "batch", "jobs", "create"));
      assertThat(create(jo, "by-jo", true).getMetadata().getName()).isEqualTo("by-jo");
    }
  }

  @Test
  void theOptInRulesRefuseHostAccessAndServiceAccountsOutsideTheList() {
    apply(
        Map.of(
            "admissionPolicy.denyHostAccess",
            "true",
            "admissionPolicy.allowedServiceAccounts[0]",
            "trainer"));
    KubernetesClient admin = ns.client();
    String host =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> refusal(admin, pod("hostNetwork: true", "trainer")), r -> r != null);
    assertThat(host)
        .contains("spec.trialTemplate.spec.template.spec.hostNetwork is not allowed here");
    assertThat(refusal(admin, pod("hostPID: true", "trainer")))
        .contains("hostPID is not allowed here");
    assertThat(refusal(admin, pod("volumes: [{name: h, hostPath: {path: /}}]", "trainer")))
        .contains("hostPath volumes in spec.trialTemplate are not allowed here");
    assertThat(
            refusal(
                admin,
                pod(
                    "initContainers: [{name: i, image: busybox:1.36, securityContext: {privileged: true}}]",
                    "trainer")))
        .contains("privileged containers in spec.trialTemplate are not allowed here");
    assertThat(refusal(admin, pod("hostNetwork: false", "powerful")))
        .contains("serviceAccountName powerful is not one of the allowed service accounts trainer");
    assertThat(refusal(admin, pod("hostNetwork: false", null)))
        .contains(
            "serviceAccountName default (unset) is not one of the allowed service accounts trainer");
    // A placeholder cannot smuggle a value past the rules: it is not in the list.
    assertThat(refusal(admin, pod("hostNetwork: false", "'${params.a}'")))
        .contains("is not one of the allowed");
    // The control: a template within the rules is admitted.
    assertThat(refusal(admin, pod("hostNetwork: false", "trainer"))).isNull();
  }

  @Test
  void eachParameterSetsExactlyOneKind() {
    // What the CRD's CEL cannot check (values is untyped there): refused with the documented
    // message and the path.
    apply(Map.of());
    KubernetesClient admin = ns.client();
    // The control first: one kind each is admitted once the API server runs this policy and not an
    // earlier test's
    // (its policy cache takes a moment to pick up the update).
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                refusal(
                        admin,
                        parameters(
                            "[{name: lr, values: [0.1, true, x]},"
                                + " {name: d, range: {min: 1, max: 2, step: 1}}]"))
                    == null);
    String both =
        refusal(
            admin,
            parameters(
                "[{name: a, values: [1]}, {name: lr, values: [0.1], range: {min: 1, max: 2, step: 1}}]"));
    assertThat(both)
        .startsWith("422 ")
        .contains("spec.parameters[1]: exactly one of values, range or logRange must be set");
    assertThat(
            refusal(
                admin,
                parameters("[{name: lr, values: [0.1], logRange: {min: 1, max: 2, count: 2}}]")))
        .contains("spec.parameters[0]: exactly one of values, range or logRange must be set");
    assertThat(refusal(admin, parameters("[{name: lr}]")))
        .contains("spec.parameters[0]: exactly one of values, range or logRange must be set");
    // The control: one kind each, values included, is admitted.
    assertThat(
            refusal(
                admin,
                parameters(
                    "[{name: lr, values: [0.1, true, x]}, {name: d, range: {min: 1, max: 2,"
                        + " step: 1}}]")))
        .isNull();
  }

  /** A valid search but for the given parameters (flow YAML). */
  private GridSearch parameters(String yaml) {
    return ns.client()
        .getKubernetesSerialization()
        .unmarshal(
            "apiVersion: gridsearch.dev/v1alpha1\nkind: GridSearch\n"
                + "metadata: {name: kinds}\nspec:\n  parameters: "
                + yaml
                + "\n  objective: {metric: acc, goal: Maximize}\n"
                + "  trialTemplate: {spec: {template: {spec: {containers: [{name: t, image: busybox:1.36}]}}}}\n",
            GridSearch.class);
  }

  private void apply(Map<String, String> values) {
    Map<String, String> all = new java.util.HashMap<>(values);
    all.put("watchNamespaces[0]", ns.name());
    applied = ChartRender.template(release, ns.name(), all);
    List<GenericKubernetesResource> objects = policyObjects(applied);
    assertThat(objects).hasSize(2);
    objects.forEach(o -> ns.client().resource(o).forceConflicts().serverSideApply());
  }

  private static List<GenericKubernetesResource> policyObjects(ChartRender chart) {
    return chart.objects().stream()
        .filter(o -> o.getKind().startsWith("ValidatingAdmissionPolicy"))
        .toList();
  }

  /**
   * The chart's operator RBAC for this namespace, and a kubeconfig with its ServiceAccount's token.
   */
  private Path operatorServiceAccount() throws Exception {
    for (GenericKubernetesResource o : applied.objects()) {
      if (List.of("ServiceAccount", "Role", "RoleBinding").contains(o.getKind())) {
        ns.client().resource(o).serverSideApply();
      }
    }
    return Identities.asServiceAccount(ns, release + "-gridsearch-operator");
  }

  private GridSearch create(KubernetesClient as, String name, boolean dryRunFirst) {
    GridSearch gs =
        as.getKubernetesSerialization()
            .unmarshal(ESCALATION.replace("NAME", name), GridSearch.class);
    if (dryRunFirst) {
      as.resources(GridSearch.class).inNamespace(ns.name()).resource(gs).dryRun().create();
    }
    return as.resources(GridSearch.class).inNamespace(ns.name()).resource(gs).create();
  }

  /** The API server's refusal of a dry-run create, or null when it takes the object. */
  private String refusal(KubernetesClient as, String name) {
    return refusal(
        as,
        as.getKubernetesSerialization()
            .unmarshal(ESCALATION.replace("NAME", name), GridSearch.class));
  }

  private String refusal(KubernetesClient as, GridSearch gs) {
    try {
      as.resources(GridSearch.class).inNamespace(ns.name()).resource(gs).dryRun().create();
      return null;
    } catch (KubernetesClientException e) {
      return e.getCode() + " " + e.getMessage();
    }
  }

  /**
   * A valid search whose pod spec has one extra line and the given serviceAccountName (null: none).
   */
  private GridSearch pod(String extra, String serviceAccount) {
    String yaml =
        ESCALATION
            .replace("NAME", "opt-in")
            .replace("automountServiceAccountToken: true", extra)
            .replace("          volumes: [{name: s, secret: {secretName: db-password}}]\n", "")
            .replace(
                "serviceAccountName: powerful",
                serviceAccount == null
                    ? "restartPolicy: Never"
                    : "serviceAccountName: " + serviceAccount);
    return ns.client().getKubernetesSerialization().unmarshal(yaml, GridSearch.class);
  }

  private void bindRole(String user, String role) {
    bind(user, "Role", role);
  }

  private void bindClusterRole(String user, String clusterRole) {
    bind(user, "ClusterRole", clusterRole);
  }

  private void bind(String user, String kind, String role) {
    ns.client()
        .rbac()
        .roleBindings()
        .inNamespace(ns.name())
        .resource(
            new RoleBindingBuilder()
                .withNewMetadata()
                .withName(user + "-" + role)
                .endMetadata()
                .withNewRoleRef()
                .withApiGroup("rbac.authorization.k8s.io")
                .withKind(kind)
                .withName(role)
                .endRoleRef()
                .addNewSubject()
                .withApiGroup("rbac.authorization.k8s.io")
                .withKind("User")
                .withName(user)
                .endSubject()
                .build())
        .serverSideApply();
  }
}
