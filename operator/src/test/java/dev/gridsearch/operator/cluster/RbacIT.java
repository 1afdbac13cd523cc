package dev.gridsearch.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gridsearch.operator.api.GridSearch;
import dev.gridsearch.operator.api.GridSearchStatus.Phase;
import dev.gridsearch.operator.deploy.ChartRender;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.authentication.SelfSubjectReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The chart's RBAC is enough and no more: the operator, running as the chart's ServiceAccount (a
 * kubeconfig with the ServiceAccount's token), completes a search; that identity cannot read
 * Secrets nor reach another namespace.
 */
@ExtendWith(ClusterExtension.class)
class RbacIT {
  private final ClusterNamespace ns;

  RbacIT(ClusterNamespace ns) {
    this.ns = ns;
  }

  @Test
  void namespaceScopedOperatorCompletesASearchAndCannotReachFurther() throws Exception {
    String release = "rbac";
    ChartRender chart =
        ChartRender.template(release, ns.name(), Map.of("watchNamespaces[0]", ns.name()));
    applyRbac(chart);
    String sa = release + "-gridsearch-operator";
    Path kubeconfig = asServiceAccount(sa);
    try (KubernetesClient asOperator = client(kubeconfig)) {
      SelfSubjectReview whoami = asOperator.resource(new SelfSubjectReview()).create();
      assertThat(whoami.getStatus().getUserInfo().getUsername())
          .isEqualTo("system:serviceaccount:" + ns.name() + ":" + sa);

      // The chart limits the Lease rule to the Lease it names (GRIDSEARCH_LEASE_NAME in the pod).
      try (OperatorProcess operator =
          new OperatorProcess(ns, kubeconfig, "--lease-name=" + sa).start()) {
        Searches searches = new Searches(ns);
        searches.apply(OperatorRuntimeIT.search("rbac"));
        var done = searches.awaitFinished("rbac", Duration.ofSeconds(120));
        assertThat(done.getStatus().phase()).as(operator.log()).isEqualTo(Phase.Succeeded);
        assertThat(searches.records("rbac")).hasSize(3);
        assertThat(operator.log()).doesNotContain("Forbidden", " 403 ");
      }

      assertThat(allowed(asOperator, ns.name(), "", "secrets", "get")).isFalse();
      assertThat(allowed(asOperator, ns.name(), "", "secrets", "list")).isFalse();
      assertThat(allowed(asOperator, ns.name(), "", "pods/log", "get")).isFalse();
      assertThat(allowed(asOperator, ns.name(), "batch", "jobs", "update")).isFalse();
      assertThat(allowed(asOperator, "default", "batch", "jobs", "create")).isFalse();
      assertThat(allowed(asOperator, "default", "", "configmaps", "list")).isFalse();
      assertThat(allowed(asOperator, "default", "gridsearch.dev", "gridsearches", "list"))
          .isFalse();
      assertThat(allowed(asOperator, null, "gridsearch.dev", "gridsearches", "list")).isFalse();
      assertThat(allowed(asOperator, "default", "coordination.k8s.io", "leases", "update"))
          .isFalse();
      // The controls: what it must be able to do, so the denials above are not an artefact of the
      // review.
      assertThat(allowed(asOperator, ns.name(), "batch", "jobs", "create")).isTrue();
      assertThat(allowed(asOperator, ns.name(), "coordination.k8s.io", "leases", "create"))
          .isTrue();
      assertThat(leaseAllowed(asOperator, ns.name(), sa, "update")).isTrue();
      assertThat(leaseAllowed(asOperator, ns.name(), "someone-elses-lease", "update")).isFalse();
    }
  }

  @Test
  void clusterScopedRolesReachEveryNamespaceButNoSecrets() throws Exception {
    String release = "rbac-c-" + ns.name();
    ChartRender chart = ChartRender.template(release, ns.name(), Map.of());
    assertThat(chart.find("ClusterRole", release + "-gridsearch-operator")).isPresent();
    applyRbac(chart);
    try (KubernetesClient asOperator = client(asServiceAccount(release + "-gridsearch-operator"))) {
      assertThat(allowed(asOperator, null, "gridsearch.dev", "gridsearches", "watch")).isTrue();
      assertThat(allowed(asOperator, "default", "batch", "jobs", "create")).isTrue();
      assertThat(allowed(asOperator, "default", "", "secrets", "get")).isFalse();
      assertThat(allowed(asOperator, null, "", "secrets", "list")).isFalse();
      assertThat(allowed(asOperator, "default", "", "pods", "delete")).isFalse();
      assertThat(allowed(asOperator, "default", "coordination.k8s.io", "leases", "update"))
          .isFalse();
    } finally {
      for (GenericKubernetesResource o : chart.objects()) {
        if (o.getKind().startsWith("Cluster")) {
          ns.client().resource(o).delete();
        }
      }
    }
  }

  @Test
  void builtInEditUsersCreateGridSearchesAndViewUsersReadThem() throws Exception {
    String release = "rbac-agg-" + ns.name();
    ChartRender chart = ChartRender.template(release, ns.name(), Map.of());
    List<GenericKubernetesResource> aggregated =
        chart.ofKind("ClusterRole").stream()
            .filter(
                r ->
                    r.getMetadata().getName().endsWith("-view")
                        || r.getMetadata().getName().endsWith("-edit"))
            .toList();
    assertThat(aggregated).hasSize(2);
    bind("erin", "edit");
    bind("victor", "view");
    try (KubernetesClient erin = Identities.asUser(ns, "erin");
        KubernetesClient victor = Identities.asUser(ns, "victor")) {
      // The control: without the chart's roles, the built-in roles know nothing of GridSearches.
      assertThat(allowed(erin, ns.name(), "gridsearch.dev", "gridsearches", "create")).isFalse();
      assertThat(allowed(victor, ns.name(), "gridsearch.dev", "gridsearches", "get")).isFalse();
      aggregated.forEach(o -> ns.client().resource(o).serverSideApply());
      // The controller manager's clusterrole-aggregation controller copies the rules into view,
      // edit and admin.
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  allowed(erin, ns.name(), "gridsearch.dev", "gridsearches", "create")
                      && allowed(victor, ns.name(), "gridsearch.dev", "gridsearches", "get"));

      GridSearch created =
          erin.resources(GridSearch.class)
              .inNamespace(ns.name())
              .resource(
                  ns.client()
                      .getKubernetesSerialization()
                      .unmarshal(
                          OperatorRuntimeIT.search("by-erin")
                              .replace("parallelism: 3", "parallelism: 3\n  suspend: true"),
                          GridSearch.class))
              .create();
      assertThat(created.getMetadata().getUid()).isNotBlank();
      erin.resources(GridSearch.class)
          .inNamespace(ns.name())
          .withName("by-erin")
          .edit(
              g -> {
                g.getMetadata().getLabels().put("team", "a");
                return g;
              });
      assertThat(
              victor
                  .resources(GridSearch.class)
                  .inNamespace(ns.name())
                  .withName("by-erin")
                  .get()
                  .getMetadata()
                  .getLabels())
          .containsEntry("team", "a");
      assertThat(victor.resources(GridSearch.class).inNamespace(ns.name()).list().getItems())
          .extracting(g -> g.getMetadata().getName())
          .contains("by-erin");
      assertThat(allowed(victor, ns.name(), "gridsearch.dev", "gridsearches", "create")).isFalse();
      assertThat(allowed(victor, ns.name(), "gridsearch.dev", "gridsearches", "delete")).isFalse();
      assertThat(allowed(victor, ns.name(), "gridsearch.dev", "gridsearches/status", "patch"))
          .isFalse();
      assertThat(allowed(erin, ns.name(), "gridsearch.dev", "gridsearches/status", "patch"))
          .isFalse();
      assertThat(allowed(erin, "default", "gridsearch.dev", "gridsearches", "create")).isFalse();
      erin.resources(GridSearch.class).inNamespace(ns.name()).withName("by-erin").delete();
    } finally {
      aggregated.forEach(o -> ns.client().resource(o).delete());
    }
  }

  /**
   * A RoleBinding in the test namespace from a user to a built-in ClusterRole (view, edit, admin).
   */
  private void bind(String user, String clusterRole) {
    ns.client()
        .rbac()
        .roleBindings()
        .inNamespace(ns.name())
        .resource(
            new RoleBindingBuilder()
                .withNewMetadata()
                .withName(user + "-" + clusterRole)
                .endMetadata()
                .withNewRoleRef()
                .withApiGroup("rbac.authorization.k8s.io")
                .withKind("ClusterRole")
                .withName(clusterRole)
                .endRoleRef()
                .addNewSubject()
                .withApiGroup("rbac.authorization.k8s.io")
                .withKind("User")
                .withName(user)
                .endSubject()
                .build())
        .serverSideApply();
  }

  private static boolean leaseAllowed(
      KubernetesClient client, String namespace, String name, String verb) {
    return client
        .authorization()
        .v1()
        .selfSubjectAccessReview()
        .create(
            new SelfSubjectAccessReviewBuilder()
                .withNewSpec()
                .withNewResourceAttributes()
                .withNamespace(namespace)
                .withGroup("coordination.k8s.io")
                .withResource("leases")
                .withName(name)
                .withVerb(verb)
                .endResourceAttributes()
                .endSpec()
                .build())
        .getStatus()
        .getAllowed();
  }

  /** The chart's ServiceAccount and (Cluster)Roles and bindings, as helm template renders them. */
  private void applyRbac(ChartRender chart) {
    for (GenericKubernetesResource o : chart.objects()) {
      // The aggregated user roles are not the operator's; builtInEditUsers... applies (and removes)
      // them itself.
      boolean userRole =
          o.getMetadata().getLabels().keySet().stream().anyMatch(k -> k.contains("/aggregate-to-"));
      if (!userRole
          && List.of("ServiceAccount", "Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding")
              .contains(o.getKind())) {
        ns.client().resource(o).serverSideApply();
      }
    }
  }

  private Path asServiceAccount(String serviceAccount) throws Exception {
    return Identities.asServiceAccount(ns, serviceAccount);
  }

  private static KubernetesClient client(Path kubeconfig) throws Exception {
    return Identities.client(kubeconfig);
  }

  private static boolean allowed(
      KubernetesClient client, String namespace, String group, String resource, String verb) {
    return Identities.allowed(client, namespace, group, resource, verb);
  }
}
