package dev.gridsearch.operator;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The operator's settings, from environment variables (GRIDSEARCH_*) or the same names as flags
 * ({@code --watch-namespaces=a,b}); flags win.
 *
 * @param watchNamespaces namespaces to watch; empty means all
 * @param jobCreateRate Job creations per second across all searches
 * @param httpPort port of /healthz, /readyz and /metrics
 */
public record OperatorConfig(Set<String> watchNamespaces, double jobCreateRate, int httpPort) {

  public static OperatorConfig from(Map<String, String> env, String[] args) {
    Map<String, String> flags = Arrays.stream(args).filter(a -> a.startsWith("--") && a.contains("="))
        .collect(Collectors.toMap(a -> a.substring(2, a.indexOf('=')), a -> a.substring(a.indexOf('=') + 1),
            (a, b) -> b));
    String namespaces = value(flags, env, "watch-namespaces", "");
    String rate = value(flags, env, "job-create-rate", "50");
    String port = value(flags, env, "http-port", "8080");
    double parsedRate;
    int parsedPort;
    try {
      parsedRate = Double.parseDouble(rate);
      parsedPort = Integer.parseInt(port);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid number in the configuration: " + e.getMessage(), e);
    }
    if (!(parsedRate > 0)) {
      throw new IllegalArgumentException("job-create-rate (GRIDSEARCH_JOB_CREATE_RATE) must be > 0, got " + rate);
    }
    return new OperatorConfig(Arrays.stream(namespaces.split(",")).map(String::trim).filter(s -> !s.isEmpty())
        .collect(Collectors.toUnmodifiableSet()), parsedRate, parsedPort);
  }

  private static String value(Map<String, String> flags, Map<String, String> env, String name, String fallback) {
    if (flags.containsKey(name)) {
      return flags.get(name);
    }
    String fromEnv = env.get("GRIDSEARCH_" + name.toUpperCase().replace('-', '_'));
    return fromEnv != null ? fromEnv : fallback;
  }
}
