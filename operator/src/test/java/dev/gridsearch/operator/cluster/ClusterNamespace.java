package dev.gridsearch.operator.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;

/** A test class's own namespace on the test cluster, and a client for it. */
public record ClusterNamespace(KubernetesClient client, String name, TestCluster cluster) {}
