package dev.gridsearch.operator.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The operator as a separate JVM (the real Main on the test classpath), watching one namespace, so a test can kill
 * it with SIGKILL: no shutdown hook, no graceful stop.
 */
public final class OperatorProcess implements AutoCloseable {
  private final List<String> command;
  private final Path kubeconfig;
  private final Path log;
  private final String namespace;
  private Process process;
  private int starts;

  public OperatorProcess(ClusterNamespace ns, String... extraArgs) throws IOException {
    this(ns, ns.cluster().kubeconfig(), extraArgs);
  }

  /** With another kubeconfig, e.g. one that impersonates the chart's ServiceAccount. */
  public OperatorProcess(ClusterNamespace ns, Path kubeconfig, String... extraArgs) throws IOException {
    this.kubeconfig = kubeconfig;
    this.namespace = ns.name();
    this.log = Files.createTempFile("operator-" + ns.name() + "-", ".log");
    this.command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"),
        "dev.gridsearch.operator.Main",
        "--watch-namespaces=" + ns.name(),
        "--http-port=0",
        // The Lease lives in the test's namespace; a stable identity lets a restarted process lead at once.
        "--lease-namespace=" + ns.name(),
        "--identity=operator-" + ns.name()));
    this.command.addAll(List.of(extraArgs));
  }

  public OperatorProcess start() throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().put("KUBECONFIG", kubeconfig.toString());
    process = pb.start();
    starts++;
    return this;
  }

  /** SIGKILL, as the kernel's OOM killer or a node failure would. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  public int starts() {
    return starts;
  }

  public String log() throws IOException {
    return Files.readString(log);
  }

  /** The port of /healthz, /readyz and /metrics, once Main has logged it (the process runs with --http-port=0). */
  public java.util.OptionalInt httpPort() throws IOException {
    var m = java.util.regex.Pattern.compile("http endpoints on port (\\d+)").matcher(log());
    int port = -1;
    while (m.find()) {
      port = Integer.parseInt(m.group(1)); // the latest start's port
    }
    return port < 0 ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(port);
  }

  public String namespace() {
    return namespace;
  }

  @Override
  public void close() throws Exception {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }
}
