package dev.gridsearch.operator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The command-line tools hack/test-tools.sh installs into its tools directory (Go and Python tools)
 * or onto the PATH (Debian packages). A missing tool fails the test with the command that installs
 * it: nothing is skipped.
 */
public final class Tools {
  /**
   * Where hack/test-tools.sh puts Go binaries and the Python venv's entry points; the same default
   * as there.
   */
  public static final Path BIN =
      Path.of(
          System.getenv()
              .getOrDefault(
                  "GRIDSEARCH_TOOLS_DIR",
                  System.getProperty("user.home") + "/.cache/gridsearch-operator/tools"),
          "bin");

  private Tools() {}

  public record Result(int exitCode, String output) {}

  public static Path bin(String name) {
    Path path = BIN.resolve(name);
    if (!Files.isExecutable(path)) {
      throw new IllegalStateException(
          name
              + " is not installed in "
              + BIN
              + ": run hack/test-tools.sh, as make test"
              + " does");
    }
    return path;
  }

  /** Runs a tool of BIN with arguments, stdin given, stdout and stderr together. */
  public static Result run(String tool, String stdin, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(bin(tool).toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try (var in = p.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(tool + " did not finish in 120 s:\n" + out);
    }
    return new Result(p.exitValue(), out);
  }
}
