package dev.gridsearch.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridsearch.operator.api.GridSearchStatus.Phase;
import dev.gridsearch.operator.deploy.ChartRender;
import io.fabric8.kubernetes.api.model.AuthInfoBuilder;
import io.fabric8.kubernetes.api.model.Config;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamedAuthInfo;
import io.fabric8.kubernetes.api.model.authentication.SelfSubjectReview;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The chart's RBAC is enough and no more: the operator, running as the chart's ServiceAccount (a kubeconfig with
 * the ServiceAccount's token), completes a search; that identity cannot read Secrets nor reach another namespace.
 */
@ExtendWith(ClusterExtension.class)
class RbacIT {
  private static final KubernetesSerialization YAML = new KubernetesSerialization();
  private final ClusterNamespace ns;

  RbacIT(ClusterNamespace ns) {
    this.ns = ns;
  }

  @Test
  void namespaceScopedOperatorCompletesASearchAndCannotReachFurther() throws Exception {
    String release = "rbac";
    ChartRender chart = ChartRender.template(release, ns.name(), Map.of("watchNamespaces[0]", ns.name()));
    applyRbac(chart);
    String sa = release + "-gridsearch-operator";
    Path kubeconfig = asServiceAccount(sa);
    try (KubernetesClient asOperator = client(kubeconfig)) {
      SelfSubjectReview whoami = asOperator.resource(new SelfSubjectReview()).create();
      assertThat(whoami.getStatus().getUserInfo().getUsername())
          .isEqualTo("system:serviceaccount:" + ns.name() + ":" + sa);

      try (OperatorProcess operator = new OperatorProcess(ns, kubeconfig).start()) {
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
      assertThat(allowed(asOperator, "default", "gridsearch.dev", "gridsearches", "list")).isFalse();
      assertThat(allowed(asOperator, null, "gridsearch.dev", "gridsearches", "list")).isFalse();
      assertThat(allowed(asOperator, "default", "coordination.k8s.io", "leases", "update")).isFalse();
      // The controls: what it must be able to do, so the denials above are not an artefact of the review.
      assertThat(allowed(asOperator, ns.name(), "batch", "jobs", "create")).isTrue();
      assertThat(allowed(asOperator, ns.name(), "coordination.k8s.io", "leases", "update")).isTrue();
    }
  }

  @Test
  void clusterScopedRolesReachEveryNamespaceButNoSecrets() throws Exception {
    String release = "rbac-c-" + ns.name();
    ChartRender chart = ChartRender.template(release, ns.name(), Map.of());
    assertThat(chart.ofKind("ClusterRole")).hasSize(1);
    applyRbac(chart);
    try (KubernetesClient asOperator = client(asServiceAccount(release + "-gridsearch-operator"))) {
      assertThat(allowed(asOperator, null, "gridsearch.dev", "gridsearches", "watch")).isTrue();
      assertThat(allowed(asOperator, "default", "batch", "jobs", "create")).isTrue();
      assertThat(allowed(asOperator, "default", "", "secrets", "get")).isFalse();
      assertThat(allowed(asOperator, null, "", "secrets", "list")).isFalse();
      assertThat(allowed(asOperator, "default", "", "pods", "delete")).isFalse();
      assertThat(allowed(asOperator, "default", "coordination.k8s.io", "leases", "update")).isFalse();
    } finally {
      for (GenericKubernetesResource o : chart.objects()) {
        if (o.getKind().startsWith("Cluster")) {
          ns.client().resource(o).delete();
        }
      }
    }
  }

  /** The chart's ServiceAccount and (Cluster)Roles and bindings, as helm template renders them. */
  private void applyRbac(ChartRender chart) {
    for (GenericKubernetesResource o : chart.objects()) {
      if (List.of("ServiceAccount", "Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding").contains(o.getKind())) {
        ns.client().resource(o).serverSideApply();
      }
    }
  }

  /**
   * The test cluster's kubeconfig with its user replaced by a token of the ServiceAccount (TokenRequest API), so
   * the operator authenticates as the ServiceAccount itself, groups included, exactly as in a pod.
   */
  private Path asServiceAccount(String serviceAccount) throws Exception {
    String token = ns.client().serviceAccounts().inNamespace(ns.name()).withName(serviceAccount)
        .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build())
        .getStatus().getToken();
    Config config = YAML.unmarshal(Files.readString(ns.cluster().kubeconfig()), Config.class);
    for (NamedAuthInfo user : config.getUsers()) {
      user.setUser(new AuthInfoBuilder().withToken(token).build());
    }
    Path file = Files.createTempFile("kubeconfig-" + serviceAccount + "-", ".yaml");
    Files.writeString(file, YAML.asYaml(config));
    return file;
  }

  private static KubernetesClient client(Path kubeconfig) throws Exception {
    return new KubernetesClientBuilder().withConfig(io.fabric8.kubernetes.client.Config.fromKubeconfig(null,
        Files.readString(kubeconfig), kubeconfig.toString())).build();
  }

  private static boolean allowed(KubernetesClient client, String namespace, String group, String resource,
      String verb) {
    String[] parts = resource.split("/", 2);
    SelfSubjectAccessReview review = client.authorization().v1().selfSubjectAccessReview().create(
        new SelfSubjectAccessReviewBuilder().withNewSpec().withNewResourceAttributes().withNamespace(namespace)
            .withGroup(group).withResource(parts[0]).withSubresource(parts.length > 1 ? parts[1] : null)
            .withVerb(verb).endResourceAttributes().endSpec().build());
    return review.getStatus().getAllowed();
  }
}
