package dev.gridsearch.operator.cluster;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The control-plane tier's fixture: a client on the cluster ({@link TestCluster}, shared by the
 * whole run) and a fresh namespace per test class, deleted afterwards. Tests receive a {@link
 * ClusterNamespace} as a parameter.
 */
public final class ClusterExtension
    implements BeforeAllCallback, AfterAllCallback, ParameterResolver {
  private static final ExtensionContext.Namespace STORE =
      ExtensionContext.Namespace.create(ClusterExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    namespace(context);
  }

  /**
   * The class's namespace, created on first use (constructor injection may come before beforeAll).
   */
  private static ClusterNamespace namespace(ExtensionContext context) {
    return context
        .getStore(STORE)
        .getOrComputeIfAbsent("namespace", k -> createNamespace(context), ClusterNamespace.class);
  }

  private static ClusterNamespace createNamespace(ExtensionContext context) {
    TestCluster cluster =
        context
            .getRoot()
            .getStore(STORE)
            .getOrComputeIfAbsent(
                "cluster",
                k -> {
                  try {
                    return new CloseableCluster(TestCluster.start());
                  } catch (Exception e) {
                    throw new IllegalStateException(
                        "the control-plane tier cannot run: " + e.getMessage(), e);
                  }
                },
                CloseableCluster.class)
            .cluster();
    String name = namespaceName(context.getRequiredTestClass().getSimpleName());
    KubernetesClient client = cluster.client();
    client
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(name)
                .addToLabels("gridsearch.dev/test", "true")
                .endMetadata()
                .build())
        .create();
    return new ClusterNamespace(client, name, cluster);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    ClusterNamespace ns = context.getStore(STORE).get("namespace", ClusterNamespace.class);
    if (ns != null) {
      ns.client().namespaces().withName(ns.name()).delete();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == ClusterNamespace.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return namespace(context);
  }

  static String namespaceName(String testClass) {
    String base = testClass.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    base = base.length() > 40 ? base.substring(0, 40) : base;
    return base
        + "-"
        + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36 * 36), 36);
  }

  /** Keeps the cluster in JUnit's root store so it is closed once, at the end of the run. */
  private record CloseableCluster(TestCluster cluster)
      implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    @Override
    public void close() throws Exception {
      cluster.close();
    }
  }
}
