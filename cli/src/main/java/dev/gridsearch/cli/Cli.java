package dev.gridsearch.cli;

import dev.gridsearch.cli.source.SearchSource;
import dev.gridsearch.cli.view.SearchInfo;
import dev.gridsearch.operator.api.GridSearch;
import java.time.Clock;
import java.util.Map;
import java.util.function.Function;

/**
 * What the commands run against, passed in so tests replace the cluster, the clock, the terminal
 * and the environment (NO_COLOR, COLORTERM).
 */
public record Cli(
    Function<KubeOptions, SearchSource> sources,
    Clock clock,
    boolean tty,
    Map<String, String> env) {

  /** A search as a command reads it: where it came from, the object, and what the views need. */
  record Loaded(SearchSource source, GridSearch gs, SearchInfo info) {}

  /** The source the flags (-n, --context, ...) name. */
  SearchSource source(KubeOptions kube) {
    return sources.apply(kube);
  }

  /** The search {@code name} from the flags' source, or a {@link SearchSource.NotFound}. */
  Loaded load(KubeOptions kube, String name) {
    SearchSource source = source(kube);
    GridSearch gs = source.get(name);
    return new Loaded(source, gs, SearchInfo.of(gs));
  }
}
