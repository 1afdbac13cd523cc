package dev.gridsearch.operator.cluster;

import dev.gridsearch.operator.RepoFiles;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The cluster of the control-plane tier, one per Maven run: the one named by
 * GRIDSEARCH_TEST_KUBECONFIG, or the local control plane of hack/controlplane.sh, started here when
 * it is not already up.
 */
public final class TestCluster implements AutoCloseable {
  static final String KUBECONFIG_ENV = "GRIDSEARCH_TEST_KUBECONFIG";

  /** Set to 1 to leave a control plane this run started running afterwards (faster re-runs). */
  static final String KEEP_ENV = "GRIDSEARCH_TEST_KEEP_CLUSTER";

  /** K3s matching the local control plane's Kubernetes minor version. */
  static final String K3S_IMAGE = "rancher/k3s:v1.34.1-k3s1";

  private final Path kubeconfig;
  private final boolean startedHere;
  private final KubernetesClient client;

  private TestCluster(Path kubeconfig, boolean startedHere) throws IOException {
    this.kubeconfig = kubeconfig;
    this.startedHere = startedHere;
    this.client =
        new KubernetesClientBuilder()
            .withConfig(
                Config.fromKubeconfig(null, Files.readString(kubeconfig), kubeconfig.toString()))
            .build();
  }

  /**
   * Connects to the configured cluster or brings up the local control plane; fails loudly when
   * neither works.
   */
  static TestCluster start() throws IOException, InterruptedException {
    if ("k3s".equals(System.getProperty("gridsearch.cluster"))) {
      return startK3s();
    }
    String configured = System.getenv(KUBECONFIG_ENV);
    if (configured != null && !configured.isBlank()) {
      log("using the cluster of " + KUBECONFIG_ENV + "=" + configured);
      TestCluster cluster = new TestCluster(Path.of(configured), false);
      cluster.installCrd();
      return cluster;
    }
    // `env` fails when the cluster does not exist; `up` is idempotent and starts stopped
    // components.
    boolean existed = script("env").exitCode() == 0;
    log(
        existed
            ? "reusing the local control plane (hack/controlplane.sh up)"
            : "creating the local control plane (hack/controlplane.sh up)");
    Result up = script("up");
    if (up.exitCode() != 0) {
      throw new IllegalStateException(
          "the control-plane tier cannot run: hack/controlplane.sh up failed ("
              + up.exitCode()
              + "):\n"
              + up.output()
              + "\nSet "
              + KUBECONFIG_ENV
              + " to use an existing cluster instead.");
    }
    Result env = script("env");
    String line =
        env.output()
            .lines()
            .filter(l -> l.startsWith("export KUBECONFIG="))
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "hack/controlplane.sh env printed no KUBECONFIG:\n" + env.output()));
    Path kubeconfig =
        Path.of(line.substring("export KUBECONFIG=".length()).replace("\"", "").replace("'", ""));
    TestCluster cluster = new TestCluster(kubeconfig, !existed);
    cluster.installCrd();
    return cluster;
  }

  /**
   * K3s in a container (-Pk3s). Reflection keeps Testcontainers out of the default test classpath.
   */
  private static TestCluster startK3s() throws IOException {
    log("starting K3s through Testcontainers (-Pk3s)");
    try {
      Class<?> imageName = Class.forName("org.testcontainers.utility.DockerImageName");
      Object image = imageName.getMethod("parse", String.class).invoke(null, K3S_IMAGE);
      Object k3s =
          Class.forName("org.testcontainers.k3s.K3sContainer")
              .getConstructor(imageName)
              .newInstance(image);
      k3s.getClass().getMethod("start").invoke(k3s);
      Path kubeconfig = Files.createTempFile("k3s-", ".kubeconfig");
      Files.writeString(
          kubeconfig, (String) k3s.getClass().getMethod("getKubeConfigYaml").invoke(k3s));
      TestCluster cluster = new TestCluster(kubeconfig, false);
      cluster.installCrd();
      return cluster;
    } catch (ReflectiveOperationException | RuntimeException e) {
      Throwable cause =
          e instanceof java.lang.reflect.InvocationTargetException ite ? ite.getCause() : e;
      throw new IllegalStateException(
          "the k3s tier (-Pk3s) cannot run: "
              + cause
              + " (it needs a Docker engine for Testcontainers; leave out -Pk3s to use the local control plane)",
          e);
    }
  }

  public KubernetesClient client() {
    return client;
  }

  public Path kubeconfig() {
    return kubeconfig;
  }

  /** Installs (or updates) the committed CRD and waits until the API server serves it. */
  private void installCrd() throws IOException {
    Path file = RepoFiles.root().resolve("crd").resolve(RepoFiles.CRD_FILE);
    CustomResourceDefinition crd =
        client
            .getKubernetesSerialization()
            .unmarshal(Files.readString(file), CustomResourceDefinition.class);
    client
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .resource(crd)
        .forceConflicts()
        .serverSideApply();
    client
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .withName(crd.getMetadata().getName())
        .waitUntilCondition(
            c ->
                c != null
                    && c.getStatus() != null
                    && c.getStatus().getConditions().stream()
                        .anyMatch(
                            cond ->
                                "Established".equals(cond.getType())
                                    && "True".equals(cond.getStatus())),
            60,
            TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    client.close();
    if (startedHere && !"1".equals(System.getenv(KEEP_ENV))) {
      log("stopping the local control plane this run started (set " + KEEP_ENV + "=1 to keep it)");
      script("down");
    }
  }

  /** Runs hack/controlplane.sh with one subcommand, output captured. */
  static Result script(String... args) throws IOException, InterruptedException {
    Path script = RepoFiles.root().resolve("hack/controlplane.sh");
    List<String> command = new java.util.ArrayList<>(List.of(script.toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Result(p.waitFor(), output);
  }

  record Result(int exitCode, String output) {}

  private static void log(String message) {
    System.out.println("[test-cluster] " + message);
  }
}
