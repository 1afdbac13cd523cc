package dev.gridsearch.operator.cluster;

import dev.gridsearch.operator.api.GridSearch;
import dev.gridsearch.operator.api.GridSearchStatus.Phase;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Every version of one GridSearch as the API server stored it, from a watch started before the
 * search exists (so in etcd's order, none skipped): what its status said at each write, and at
 * which resourceVersion. A test can then read other objects exactly as they were at the revision of
 * a given write ({@code resourceVersionMatch=Exact}).
 */
public final class SearchWatch implements AutoCloseable {
  /** One stored version of the search. */
  public record Version(String resourceVersion, Phase phase, GridSearch search) {}

  private final List<Version> versions = new ArrayList<>();
  private final Watch watch;
  private WatcherException closedBy;
  private boolean deleted;

  public SearchWatch(ClusterNamespace ns, String name) {
    this.watch =
        ns.client()
            .resources(GridSearch.class)
            .inNamespace(ns.name())
            .withName(name)
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, GridSearch gs) {
                    record(action, gs);
                  }

                  @Override
                  public void onClose(WatcherException cause) {
                    closed(cause);
                  }
                });
  }

  private synchronized void record(Watcher.Action action, GridSearch gs) {
    if (action == Watcher.Action.DELETED) {
      deleted = true;
      return;
    }
    if (action == Watcher.Action.ADDED || action == Watcher.Action.MODIFIED) {
      versions.add(
          new Version(
              gs.getMetadata().getResourceVersion(),
              gs.getStatus() == null ? null : gs.getStatus().phase(),
              gs));
    }
  }

  private synchronized void closed(WatcherException cause) {
    closedBy = cause;
  }

  /** The first stored version whose phase is Succeeded or Failed. */
  public synchronized Optional<Version> firstFinished() {
    return versions.stream()
        .filter(v -> v.phase() == Phase.Succeeded || v.phase() == Phase.Failed)
        .findFirst();
  }

  /**
   * The phases the stored status went through, consecutive repeats and "no status yet" left out.
   */
  public synchronized List<Phase> phases() {
    List<Phase> out = new ArrayList<>();
    for (Version v : versions) {
      if (v.phase() != null
          && (out.isEmpty() || !Objects.equals(out.get(out.size() - 1), v.phase()))) {
        out.add(v.phase());
      }
    }
    return out;
  }

  /**
   * Fails when the API server ended the watch with an error: versions may then be missing, and a
   * test relying on "the first version that says X" would be wrong.
   */
  public synchronized void assertUnbroken() {
    if (closedBy != null) {
      throw new AssertionError(
          "the watch on the GridSearch was closed by the API server, versions may be missing",
          closedBy);
    }
  }

  public synchronized boolean deleted() {
    return deleted;
  }

  @Override
  public void close() {
    watch.close();
  }
}
