package dev.gridsearch.operator.metrics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs promtool (Debian package prometheus, installed by hack/test-tools.sh); fails when it is
 * missing.
 */
public final class Promtool {
  private Promtool() {}

  public record Result(int exitCode, String output) {}

  /** {@code promtool check metrics} reads the exposition on stdin. */
  public static Result checkMetrics(String exposition) throws IOException, InterruptedException {
    Process p = start(List.of("promtool", "check", "metrics"));
    try (var in = p.getOutputStream()) {
      in.write(exposition.getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Result(p.waitFor(), out);
  }

  public static Result checkRules(String rulesYaml) throws IOException, InterruptedException {
    Path file = Files.createTempFile("rules-", ".yaml");
    try {
      Files.writeString(file, rulesYaml);
      Process p = start(List.of("promtool", "check", "rules", file.toString()));
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return new Result(p.waitFor(), out);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static Process start(List<String> command) throws IOException {
    try {
      return new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IllegalStateException(
          "promtool is not installed: run hack/test-tools.sh (installs Debian package "
              + "prometheus), as make test does",
          e);
    }
  }
}
