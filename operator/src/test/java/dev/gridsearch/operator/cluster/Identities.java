package dev.gridsearch.operator.cluster;

import io.fabric8.kubernetes.api.model.AuthInfoBuilder;
import io.fabric8.kubernetes.api.model.Config;
import io.fabric8.kubernetes.api.model.NamedAuthInfo;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Acting on the test cluster as someone other than its admin: a ServiceAccount's token, or an
 * impersonated user.
 */
final class Identities {
  private static final KubernetesSerialization YAML = new KubernetesSerialization();

  private Identities() {}

  /**
   * The test cluster's kubeconfig with its user replaced by a token of the ServiceAccount
   * (TokenRequest API), so a process authenticates as the ServiceAccount itself, groups included,
   * exactly as in a pod.
   */
  static Path asServiceAccount(ClusterNamespace ns, String serviceAccount) throws Exception {
    String token =
        ns.client()
            .serviceAccounts()
            .inNamespace(ns.name())
            .withName(serviceAccount)
            .tokenRequest(
                new TokenRequestBuilder()
                    .withNewSpec()
                    .withExpirationSeconds(3600L)
                    .endSpec()
                    .build())
            .getStatus()
            .getToken();
    Config config = YAML.unmarshal(Files.readString(ns.cluster().kubeconfig()), Config.class);
    for (NamedAuthInfo user : config.getUsers()) {
      user.setUser(new AuthInfoBuilder().withToken(token).build());
    }
    Path file = Files.createTempFile("kubeconfig-" + serviceAccount + "-", ".yaml");
    Files.writeString(file, YAML.asYaml(config));
    return file;
  }

  static KubernetesClient client(Path kubeconfig) throws Exception {
    return new KubernetesClientBuilder()
        .withConfig(
            io.fabric8.kubernetes.client.Config.fromKubeconfig(
                null, Files.readString(kubeconfig), kubeconfig.toString()))
        .build();
  }

  /**
   * The admin's client impersonating a plain user (no groups but system:authenticated, which the
   * server adds).
   */
  static KubernetesClient asUser(ClusterNamespace ns, String user) {
    return new KubernetesClientBuilder()
        .withConfig(
            new ConfigBuilder(ns.client().getConfiguration()).withImpersonateUsername(user).build())
        .build();
  }

  static boolean allowed(
      KubernetesClient client, String namespace, String group, String resource, String verb) {
    String[] parts = resource.split("/", 2);
    SelfSubjectAccessReview review =
        client
            .authorization()
            .v1()
            .selfSubjectAccessReview()
            .create(
                new SelfSubjectAccessReviewBuilder()
                    .withNewSpec()
                    .withNewResourceAttributes()
                    .withNamespace(namespace)
                    .withGroup(group)
                    .withResource(parts[0])
                    .withSubresource(parts.length > 1 ? parts[1] : null)
                    .withVerb(verb)
                    .endResourceAttributes()
                    .endSpec()
                    .build());
    return review.getStatus().getAllowed();
  }
}
