package dev.gridsearch.cli.source;

import dev.gridsearch.operator.api.GridSearch;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Where the plugin reads searches and their results shards from: the API server, or a fixture. */
public interface SearchSource {

  /** The namespace the plugin works in (the -n flag, else the kubeconfig's). */
  String namespace();

  /** The search, or a {@link NotFound} naming the namespace. */
  GridSearch get(String name);

  /** The searches of this namespace, or of every namespace. */
  List<GridSearch> list(boolean allNamespaces);

  /** The names of the search's results shards, in ordinal order. */
  List<String> shardNames(GridSearch search);

  /** One shard's data (key = trial index), or empty when the ConfigMap is gone. */
  Optional<Map<String, String>> shard(GridSearch search, String name);

  /** The names of the trial's pods, newest first (a retried trial has several). */
  List<String> trialPods(GridSearch search, long trial);

  /** Copies a pod's log (the trial's container) to {@code out}; {@code follow} streams it. */
  void log(
      GridSearch search, String pod, boolean follow, Integer tailLines, java.io.OutputStream out)
      throws java.io.IOException;

  /** A missing search: the message says what and where. */
  final class NotFound extends RuntimeException {
    public NotFound(String message) {
      super(message);
    }
  }
}
