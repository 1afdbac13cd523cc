package dev.gridsearch.operator;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The operator's settings, from environment variables (GRIDSEARCH_*) or the same names as flags
 * ({@code --watch-namespaces=a,b}); flags win. The lease namespace and identity come from the
 * Downward API variables POD_NAMESPACE and POD_NAME, as the chart sets them.
 *
 * @param watchNamespaces namespaces to watch; empty means all
 * @param jobCreateRate Job creations per second across all searches
 * @param httpPort port of /healthz, /readyz and /metrics
 * @param logLevel root log level (trace, debug, info, warn, error)
 * @param logFormat json (one JSON object per line) or text
 * @param leaseNamespace namespace of the leader-election Lease: the operator's own
 * @param leaseName name of the leader-election Lease
 * @param identity this replica's name in the Lease; empty lets JOSDK pick a random one
 */
public record OperatorConfig(
    Set<String> watchNamespaces,
    double jobCreateRate,
    int httpPort,
    String logLevel,
    LogFormat logFormat,
    String leaseNamespace,
    String leaseName,
    String identity) {

  public static final String DEFAULT_LEASE_NAME = "gridsearch-operator";
  private static final Set<String> LEVELS =
      Set.of("trace", "debug", "info", "warn", "error", "off");

  public enum LogFormat {
    json,
    text
  }

  public static OperatorConfig from(Map<String, String> env, String[] args) {
    Map<String, String> flags =
        Arrays.stream(args)
            .filter(a -> a.startsWith("--") && a.contains("="))
            .collect(
                Collectors.toMap(
                    a -> a.substring(2, a.indexOf('=')),
                    a -> a.substring(a.indexOf('=') + 1),
                    (a, b) -> b));
    String namespaces = value(flags, env, "watch-namespaces", "");
    String rate = value(flags, env, "job-create-rate", "50");
    String port = value(flags, env, "http-port", "8080");
    String level = value(flags, env, "log-level", "info").trim().toLowerCase(Locale.ROOT);
    String format = value(flags, env, "log-format", "text").trim().toLowerCase(Locale.ROOT);
    double parsedRate;
    int parsedPort;
    try {
      parsedRate = Double.parseDouble(rate);
      parsedPort = Integer.parseInt(port);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "invalid number in the configuration: " + e.getMessage(), e);
    }
    if (!(parsedRate > 0)) {
      throw new IllegalArgumentException(
          "job-create-rate (GRIDSEARCH_JOB_CREATE_RATE) must be > 0, got " + rate);
    }
    if (parsedPort < 0 || parsedPort > 65535) {
      throw new IllegalArgumentException(
          "http-port (GRIDSEARCH_HTTP_PORT) must be 0 to 65535, got " + port);
    }
    if (!LEVELS.contains(level)) {
      throw new IllegalArgumentException(
          "log-level (GRIDSEARCH_LOG_LEVEL) must be one of "
              + LEVELS.stream().sorted().toList()
              + ", got "
              + level);
    }
    LogFormat parsedFormat;
    try {
      parsedFormat = LogFormat.valueOf(format);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "log-format (GRIDSEARCH_LOG_FORMAT) must be json or text, got " + format, e);
    }
    String leaseNamespace =
        flags.getOrDefault("lease-namespace", env.getOrDefault("POD_NAMESPACE", "default"));
    String leaseName = value(flags, env, "lease-name", DEFAULT_LEASE_NAME);
    String identity = flags.getOrDefault("identity", env.getOrDefault("POD_NAME", ""));
    return new OperatorConfig(
        Arrays.stream(namespaces.split(","))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .collect(Collectors.toUnmodifiableSet()),
        parsedRate,
        parsedPort,
        level,
        parsedFormat,
        leaseNamespace.isBlank() ? "default" : leaseNamespace,
        leaseName,
        identity);
  }

  /** The settings tests use: all defaults but the watched namespaces and the lease's namespace. */
  public static OperatorConfig forNamespaces(Set<String> watchNamespaces, String leaseNamespace) {
    return new OperatorConfig(
        Set.copyOf(watchNamespaces),
        50,
        0,
        "info",
        LogFormat.text,
        leaseNamespace,
        DEFAULT_LEASE_NAME,
        "");
  }

  private static String value(
      Map<String, String> flags, Map<String, String> env, String name, String fallback) {
    if (flags.containsKey(name)) {
      return flags.get(name);
    }
    String fromEnv = env.get("GRIDSEARCH_" + name.toUpperCase(Locale.ROOT).replace('-', '_'));
    return fromEnv != null ? fromEnv : fallback;
  }
}
