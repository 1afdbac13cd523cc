package dev.gridsearch.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.Release;
import dev.gridsearch.operator.deploy.ChartRender;
import dev.gridsearch.operator.deploy.DeployManifests;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The chart installed by real Helm into the control plane, so the API server validates every
 * object, in a namespace that enforces the restricted Pod Security level: the operator's pod exists
 * only if admission let it in.
 */
@ExtendWith(ClusterExtension.class)
class HelmInstallIT {
  private final ClusterNamespace ns;
  private final KubernetesClient client;

  HelmInstallIT(ClusterNamespace ns) {
    this.ns = ns;
    this.client = ns.client();
  }

  @BeforeEach
  void enforceRestricted() {
    client
        .namespaces()
        .withName(ns.name())
        .edit(
            n -> {
              n.getMetadata().getLabels().put("pod-security.kubernetes.io/enforce", "restricted");
              return n;
            });
    // The control: a pod without the restricted settings is refused here, so admission really is
    // enforcing.
    Pod bare =
        new PodBuilder()
            .withNewMetadata()
            .withName("bare")
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("c")
            .withImage("busybox:1.36")
            .endContainer()
            .endSpec()
            .build();
    assertThatThrownBy(() -> client.pods().inNamespace(ns.name()).resource(bare).dryRun().create())
        .hasMessageContaining("violates PodSecurity \"restricted");
  }

  @Test
  void defaultValuesInstallAndTheOperatorPodIsAdmitted() {
    String release = "hd-" + ns.name();
    try {
      Release installed = install(release, Map.of());
      assertThat(installed.getStatus()).isEqualTo("deployed");
      String fullname = release + "-gridsearch-operator";
      assertThat(client.rbac().clusterRoles().withName(fullname).get()).isNotNull();
      assertThat(
              client
                  .services()
                  .inNamespace(ns.name())
                  .withName(fullname)
                  .get()
                  .getSpec()
                  .getPorts()
                  .get(0)
                  .getName())
          .isEqualTo("http");
      awaitOperatorPod(release);
    } finally {
      uninstall(release);
    }
    assertThat(client.rbac().clusterRoles().withName(release + "-gridsearch-operator").get())
        .isNull();
  }

  @Test
  void nonDefaultValuesInstall() {
    String release = "hn";
    try {
      install(
          release,
          Map.of(
              "watchNamespaces[0]",
              ns.name(),
              "replicas",
              "2",
              "logFormat",
              "text",
              "logLevel",
              "debug",
              "jobCreateRate",
              "10"));
      assertThat(
              client.rbac().roles().inNamespace(ns.name()).list().getItems().stream()
                  .map(r -> r.getMetadata().getName()))
          .containsExactlyInAnyOrder(
              "hn-gridsearch-operator", "hn-gridsearch-operator-leader-election");
      assertThat(client.rbac().clusterRoles().withName("hn-gridsearch-operator").get()).isNull();
      await().atMost(Duration.ofSeconds(60)).until(() -> operatorPods(release).size() == 2);
    } finally {
      uninstall(release);
    }
  }

  @Test
  void deployManifestsApplyAndTheirPodIsAdmitted() throws Exception {
    // kubectl apply -k deploy/ amounts to these objects (DeploySyncTest: the kustomization changes
    // nothing).
    List<GenericKubernetesResource> objects =
        DeployManifests.objects().stream()
            .filter(o -> !o.getKind().equals("CustomResourceDefinition"))
            .toList();
    try {
      objects.forEach(o -> client.resource(o).fieldManager("deploy-test").serverSideApply());
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  !client
                      .pods()
                      .inNamespace("gridsearch-system")
                      .withLabel("app.kubernetes.io/instance", "gridsearch-operator")
                      .list()
                      .getItems()
                      .isEmpty());
    } finally {
      objects.stream()
          .filter(o -> !o.getKind().equals("Namespace"))
          .forEach(o -> client.resource(o).delete());
      client.namespaces().withName("gridsearch-system").delete();
    }
  }

  private Release install(String release, Map<String, String> values) {
    InstallCommand cmd =
        new Helm(ChartRender.CHART)
            .install()
            .withName(release)
            .withNamespace(ns.name())
            .withKubeConfig(ns.cluster().kubeconfig());
    values.forEach(cmd::set);
    return cmd.call();
  }

  private void uninstall(String release) {
    Helm.uninstall(release)
        .withNamespace(ns.name())
        .withKubeConfig(ns.cluster().kubeconfig())
        .ignoreNotFound()
        .call();
  }

  /** The ReplicaSet creates the pod only if Pod Security admission accepts it. */
  private void awaitOperatorPod(String release) {
    await().atMost(Duration.ofSeconds(60)).until(() -> !operatorPods(release).isEmpty());
    Pod pod = operatorPods(release).get(0);
    assertThat(pod.getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
  }

  private List<Pod> operatorPods(String release) {
    return client
        .pods()
        .inNamespace(ns.name())
        .withLabel("app.kubernetes.io/instance", release)
        .list()
        .getItems();
  }
}
