package dev.gridsearch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.gridsearch.cli.view.SearchInfo;
import dev.gridsearch.operator.api.GridSearch;
import dev.gridsearch.operator.api.GridSearchStatus.PointSummary;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The best point's parameters, as the operator ranked it, in forms a pipeline consumes. */
@Command(
    name = "best",
    mixinStandardHelpOptions = true,
    description =
        "The best point's parameters (status.best: with repeats or folds, by its aggregate), for a"
            + " pipeline's next step.",
    footer = {
      "",
      "Examples:",
      "  kubectl gridsearch best quickstart -o json | jq -r .parameters.depth",
      "  eval \"$(kubectl gridsearch best quickstart -o env --prefix PARAM_)\"",
      "  python train.py $(kubectl gridsearch best quickstart -o args)"
    })
final class BestCommand implements Callable<Integer> {
  enum Format {
    json,
    env,
    args
  }

  @Spec CommandSpec spec;
  @Mixin KubeOptions kube;

  @Parameters(index = "0", paramLabel = "NAME", description = "The GridSearch.")
  String name;

  @Option(
      names = {"-o", "--output"},
      defaultValue = "json",
      description =
          "json (the trial, its value, parameters and metrics), env (NAME=value lines) or args"
              + " (--NAME=value ...); default: ${DEFAULT-VALUE}.")
  Format format;

  @Option(
      names = "--prefix",
      defaultValue = "",
      description = "Put before each name in env and args output, e.g. PARAM_.")
  String prefix;

  private final Cli cli;

  BestCommand(Cli cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() throws Exception {
    Cli.Loaded search = cli.load(kube, name);
    GridSearch gs = search.gs();
    SearchInfo info = search.info();
    PointSummary best = gs.getStatus() == null ? null : gs.getStatus().best();
    if (best == null) {
      spec.commandLine()
          .getErr()
          .println("gridsearch \"" + name + "\" has no ranked point yet: no best to show");
      return 1;
    }
    PrintWriter out = spec.commandLine().getOut();
    Map<String, String> params = new LinkedHashMap<>();
    for (String p : info.parameters()) {
      if (best.parameters() != null && best.parameters().containsKey(p)) {
        params.put(p, best.parameters().get(p));
      }
    }
    switch (format) {
      case json -> {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("search", info.name());
        doc.put("point", best.point());
        if (best.trial() != null) {
          doc.put("trial", best.trial());
        }
        doc.put("metric", info.metric());
        doc.put("value", best.value());
        if (best.std() != null) {
          doc.put("std", best.std());
          doc.put("n", best.n());
        }
        doc.put("parameters", params);
        if (best.metrics() != null) {
          doc.put("metrics", new java.util.TreeMap<>(best.metrics()));
        }
        out.println(
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc));
      }
      // Values match ^[A-Za-z0-9._+:/=@-]{1,128}$ (the CRD's rule): no shell quoting is needed.
      case env -> params.forEach((k, v) -> out.println(prefix + k + "=" + v));
      case args ->
          out.println(
              String.join(
                  " ",
                  params.entrySet().stream()
                      .map(e -> "--" + prefix + e.getKey() + "=" + e.getValue())
                      .toList()));
    }
    out.flush();
    return 0;
  }

  static List<String> formats() {
    return List.of("json", "env", "args");
  }
}
