package dev.gridsearch.cli;

import dev.gridsearch.cli.source.SearchSource;
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
    Map<String, String> env) {}
