package dev.gridsearch.cli;

import dev.gridsearch.cli.source.SearchSource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.PrintWriter;
import java.time.Clock;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;

/** kubectl gridsearch: read a search's results as tables, CSV, heatmaps and an HTML report. */
@Command(
    name = "kubectl gridsearch",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Look at GridSearch results: tables, CSV, the best parameters, heatmaps and a one-file HTML"
          + " report.",
      "Read-only: uses your kubeconfig and RBAC (get/list GridSearches, ConfigMaps; pods/log for"
          + " logs)."
    },
    subcommands = {
      ListCommand.class,
      ResultsCommand.class,
      BestCommand.class,
      HeatmapCommand.class,
      ReportCommand.class,
      LogsCommand.class,
      WatchCommand.class,
      CompletionCommand.class,
      CompleteCommand.class,
      HelpCommand.class
    })
public final class Main implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    Cli cli =
        new Cli(
            KubeConnect::connect,
            Clock.systemUTC(),
            System.console() != null && isTerminal(),
            System.getenv());
    int code =
        run(
            cli,
            new PrintWriter(System.out, false, java.nio.charset.StandardCharsets.UTF_8),
            new PrintWriter(System.err, true, java.nio.charset.StandardCharsets.UTF_8),
            args);
    System.exit(code);
  }

  /** Runs one command line; the exit code is 0, 1 for a failure it explains, 2 for bad usage. */
  public static int run(Cli cli, PrintWriter out, PrintWriter err, String... args) {
    CommandLine cl = commandLine(cli);
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          commandLine.getErr().println("error: " + explain(e));
          commandLine.getErr().flush();
          return 1;
        });
    // A mistake gets its message and a pointer to --help, not the whole usage.
    cl.setParameterExceptionHandler(
        (e, a) -> {
          CommandLine c = e.getCommandLine();
          c.getErr().println("error: " + e.getMessage());
          c.getErr().println("See '" + c.getCommandSpec().qualifiedName() + " --help'.");
          c.getErr().flush();
          return 2;
        });
    int code = cl.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  public static CommandLine commandLine(Cli cli) {
    CommandLine.IFactory defaults = CommandLine.defaultFactory();
    CommandLine cl =
        new CommandLine(
            new Main(),
            new CommandLine.IFactory() {
              @Override
              public <K> K create(Class<K> type) throws Exception {
                try {
                  var ctor = type.getDeclaredConstructor(Cli.class);
                  ctor.setAccessible(true);
                  return ctor.newInstance(cli);
                } catch (NoSuchMethodException e) {
                  return defaults.create(type);
                }
              }
            });
    // kubectl passes the words being completed as they are, flags included.
    cl.getSubcommands().get("__complete").setUnmatchedOptionsArePositionalParams(true);
    return cl;
  }

  private static String explain(Exception e) {
    if (e instanceof SearchSource.NotFound) {
      return e.getMessage();
    }
    if (e instanceof KubernetesClientException k) {
      if (k.getCode() == 403) {
        return "forbidden: "
            + (k.getStatus() != null ? k.getStatus().getMessage() : k.getMessage())
            + " (the plugin uses your kubeconfig's RBAC)";
      }
      Throwable cause = k.getCause() != null ? k.getCause() : k;
      return "the API server: " + (k.getStatus() != null ? k.getStatus().getMessage() : cause);
    }
    return e.getMessage() != null ? e.getMessage() : e.toString();
  }

  /** isatty(1), without native code: the JDK's console is null when stdin or stdout is not one. */
  private static boolean isTerminal() {
    return System.getenv("TERM") == null || !"dumb".equals(System.getenv("TERM"));
  }

  /** The version of the plugin's jar, from its manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"kubectl-gridsearch " + (v == null ? "dev" : v)};
    }
  }
}
