package dev.gridsearch.operator.cluster;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/** A test class's own namespace on the test cluster, and a client for it. */
public record ClusterNamespace(KubernetesClient client, String name, TestCluster cluster) {

  /**
   * Creates a ResourceQuota here and waits until the quota controller has counted everything it
   * limits: the operator and quota admission read its status, not its spec.
   */
  public ResourceQuota quota(String quota, Map<String, String> hard) {
    client
        .resourceQuotas()
        .inNamespace(name)
        .resource(
            new ResourceQuotaBuilder()
                .withNewMetadata()
                .withName(quota)
                .endMetadata()
                .withNewSpec()
                .withHard(
                    hard.entrySet().stream()
                        .collect(
                            Collectors.toMap(Map.Entry::getKey, e -> new Quantity(e.getValue()))))
                .endSpec()
                .build())
        .create();
    return await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> client.resourceQuotas().inNamespace(name).withName(quota).get(),
            q ->
                q.getStatus() != null
                    && q.getStatus().getUsed() != null
                    && q.getStatus().getUsed().keySet().containsAll(hard.keySet()));
  }
}
