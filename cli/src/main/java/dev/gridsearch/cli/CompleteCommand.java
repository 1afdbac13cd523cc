package dev.gridsearch.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * kubectl's plugin completion protocol (cobra's __complete): kubectl_complete-gridsearch passes the
 * words after the plugin name, the last one being completed; candidates one a line, then
 * ":directive" (4: no file completion).
 */
@Command(name = "__complete", hidden = true)
final class CompleteCommand implements Callable<Integer> {
  private static final int NO_FILE_COMPLETION = 4;

  @Spec CommandSpec spec;

  @Parameters(arity = "0..*")
  List<String> words = new ArrayList<>();

  private final Cli cli;

  CompleteCommand(Cli cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    List<String> w = words.isEmpty() ? List.of("") : words;
    String current = w.get(w.size() - 1);
    List<String> done = w.subList(0, w.size() - 1);
    candidates(done, current).stream().filter(c -> c.startsWith(current)).forEach(out::println);
    out.println(":" + NO_FILE_COMPLETION);
    out.flush();
    return 0;
  }

  private List<String> candidates(List<String> done, String current) {
    Map<String, CommandLine> verbs = spec.root().commandLine().getSubcommands();
    if (done.isEmpty()) {
      return verbs.keySet().stream().filter(v -> !v.startsWith("__")).sorted().toList();
    }
    CommandLine verb = verbs.get(done.get(0));
    if (verb == null) {
      return List.of();
    }
    CommandSpec vs = verb.getCommandSpec();
    KubeOptions kube = new KubeOptions();
    String search = null;
    for (int i = 1; i < done.size(); i++) {
      OptionSpec o = vs.findOption(done.get(i));
      if (o != null && o.arity().max() > 0 && i + 1 < done.size()) {
        String value = done.get(++i);
        switch (o.longestName()) {
          case "--namespace" -> kube.namespace = value;
          case "--context" -> kube.context = value;
          case "--kubeconfig" -> kube.kubeconfig = value;
          default -> {}
        }
      } else if (o == null && !done.get(i).startsWith("-") && search == null) {
        search = done.get(i);
      }
    }
    String previous = done.get(done.size() - 1);
    OptionSpec pending = done.size() > 1 ? vs.findOption(previous) : null;
    if (pending != null && pending.arity().max() > 0) {
      if (pending.completionCandidates() != null) {
        List<String> values = new ArrayList<>();
        pending.completionCandidates().forEach(values::add);
        return values;
      }
      if (search != null && List.of("--x", "--y", "--sort").contains(pending.longestName())) {
        return parameters(kube, search);
      }
      return List.of();
    }
    if (current.startsWith("-")) {
      List<String> names = new ArrayList<>();
      vs.options().forEach(o -> names.addAll(List.of(o.names())));
      return names.stream().filter(n -> n.startsWith("--")).sorted().toList();
    }
    if (search == null
        && !vs.positionalParameters().isEmpty()
        && !done.get(0).equals("completion")) {
      try {
        return cli.source(kube).list(false).stream()
            .map(g -> g.getMetadata().getName())
            .sorted()
            .toList();
      } catch (RuntimeException e) {
        return List.of(); // no cluster, no candidates: completion must never print errors
      }
    }
    return List.of();
  }

  private List<String> parameters(KubeOptions kube, String search) {
    try {
      return cli.load(kube, search).info().parameters();
    } catch (RuntimeException e) {
      return List.of();
    }
  }
}
