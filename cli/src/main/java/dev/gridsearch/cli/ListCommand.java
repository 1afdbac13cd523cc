package dev.gridsearch.cli;

import dev.gridsearch.cli.view.Numbers;
import dev.gridsearch.cli.view.Table;
import dev.gridsearch.operator.api.GridSearch;
import dev.gridsearch.operator.api.GridSearchStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The searches of a namespace with their phase, progress, best value, metric and age. */
@Command(
    name = "list",
    aliases = "ls",
    mixinStandardHelpOptions = true,
    description = "The GridSearches of the namespace: phase, progress, best, metric and age.")
final class ListCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin KubeOptions kube;

  @Option(
      names = {"-A", "--all-namespaces"},
      description = "List the searches of every namespace.")
  boolean all;

  private final Cli cli;

  ListCommand(Cli cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() {
    var source = cli.source(kube);
    List<GridSearch> searches = new ArrayList<>(source.list(all));
    if (searches.isEmpty()) {
      spec.commandLine()
          .getErr()
          .println(
              all
                  ? "No GridSearches found."
                  : "No GridSearches found in namespace " + source.namespace() + ".");
      return 0;
    }
    searches.sort(
        Comparator.comparing((GridSearch g) -> g.getMetadata().getNamespace())
            .thenComparing(g -> g.getMetadata().getName()));
    List<String> header = new ArrayList<>();
    if (all) {
      header.add("NAMESPACE");
    }
    header.addAll(List.of("NAME", "PHASE", "PROGRESS", "BEST", "METRIC", "AGE"));
    Table t = new Table(header);
    Instant now = cli.clock().instant();
    for (GridSearch g : searches) {
      GridSearchStatus s = g.getStatus();
      List<String> row = new ArrayList<>();
      if (all) {
        row.add(g.getMetadata().getNamespace());
      }
      row.add(g.getMetadata().getName());
      row.add(s == null || s.phase() == null ? "Pending" : s.phase().name());
      row.add(s == null || s.progress() == null ? "" : s.progress());
      row.add(s == null || s.best() == null ? "" : Numbers.shortly(s.best().value()));
      row.add(
          g.getSpec().objective().metric() + " (" + g.getSpec().objective().goal().name() + ")");
      String created = g.getMetadata().getCreationTimestamp();
      row.add(
          created == null ? "" : Numbers.duration(Duration.between(Instant.parse(created), now)));
      t.add(row);
    }
    t.print(spec.commandLine().getOut());
    return 0;
  }
}
