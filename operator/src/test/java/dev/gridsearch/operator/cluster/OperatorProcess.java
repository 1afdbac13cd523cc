package dev.gridsearch.operator.cluster;

import dev.gridsearch.operator.RepoFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * The operator as a separate JVM (the real Main on the test classpath, or the packaged jar),
 * watching one namespace, so a test can kill it with SIGKILL: no shutdown hook, no graceful stop.
 */
public final class OperatorProcess implements AutoCloseable {
  private final List<String> command;
  private final Path kubeconfig;
  private final Path log;
  private final String namespace;
  private final java.util.Map<String, String> env;
  private Process process;
  private int starts;

  public OperatorProcess(ClusterNamespace ns, String... extraArgs) throws IOException {
    this(ns, ns.cluster().kubeconfig(), extraArgs);
  }

  /** With another kubeconfig, e.g. one that impersonates the chart's ServiceAccount. */
  public OperatorProcess(ClusterNamespace ns, Path kubeconfig, String... extraArgs)
      throws IOException {
    this(
        ns,
        kubeconfig,
        java(
            List.of(
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.gridsearch.operator.Main"),
            ns,
            extraArgs),
        java.util.Map.of());
  }

  private OperatorProcess(
      ClusterNamespace ns, Path kubeconfig, List<String> command, java.util.Map<String, String> env)
      throws IOException {
    this.kubeconfig = kubeconfig;
    this.env = env;
    this.namespace = ns.name();
    this.log = Files.createTempFile("operator-" + ns.name() + "-", ".log");
    this.command = command;
  }

  /**
   * The packaged jar ({@code operator/target/gridsearch-operator.jar} with its {@code lib/}, as the
   * image runs it; failsafe runs after package) with these JVM options, its command line passed
   * through {@code launcher} (e.g. {@link MemoryCgroup#wrap}), and these environment variables
   * (flags win over them).
   */
  public static OperatorProcess packaged(
      ClusterNamespace ns,
      List<String> jvmOptions,
      java.util.Map<String, String> env,
      UnaryOperator<List<String>> launcher,
      String... extraArgs)
      throws IOException {
    Path jar = RepoFiles.root().resolve("operator/target/gridsearch-operator.jar");
    if (!Files.exists(jar)) {
      throw new IllegalStateException(
          jar + " is missing: run the ITs through mvn verify (package comes first)");
    }
    List<String> options = new ArrayList<>(jvmOptions);
    options.addAll(List.of("-jar", jar.toString()));
    return new OperatorProcess(
        ns, ns.cluster().kubeconfig(), launcher.apply(java(options, ns, extraArgs)), env);
  }

  private static List<String> java(List<String> jvm, ClusterNamespace ns, String... extraArgs) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvm);
    command.addAll(
        List.of(
            "--watch-namespaces=" + ns.name(),
            "--http-port=0",
            // The Lease lives in the test's namespace; a stable identity lets a restarted process
            // lead at once.
            "--lease-namespace=" + ns.name(),
            "--identity=operator-" + ns.name()));
    command.addAll(List.of(extraArgs));
    return command;
  }

  public OperatorProcess start() throws IOException {
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().putAll(env);
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

  /** The process id (of the JVM: a {@link MemoryCgroup#wrap} shell execs it). */
  public long pid() {
    return process.pid();
  }

  /** The exit code, once the process has ended. */
  public java.util.OptionalInt exitCode() {
    return process == null || process.isAlive()
        ? java.util.OptionalInt.empty()
        : java.util.OptionalInt.of(process.exitValue());
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

  /**
   * The port of /healthz, /readyz and /metrics, once Main has logged it (the process runs with
   * --http-port=0).
   */
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
