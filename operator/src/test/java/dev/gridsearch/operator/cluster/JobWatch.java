package dev.gridsearch.operator.cluster;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Records, from a watch on the API server (so in etcd's order), how often each Job was created and
 * how many were unfinished at once: created, not yet Complete/Failed and not deleted.
 */
public final class JobWatch implements AutoCloseable {
  private final Map<String, Integer> creations = new HashMap<>();

  /** Creations by creationTimestamp, which has one-second precision. */
  private final Map<String, Integer> perSecond = new HashMap<>();

  private final Set<String> unfinished = new HashSet<>();
  private final Set<String> seen = new HashSet<>();
  private int maxUnfinished;
  private final ClusterNamespace ns;
  private Watch watch;
  private int restarts;
  private boolean closed;

  public JobWatch(ClusterNamespace ns) {
    this.ns = ns;
    this.watch = start(null);
  }

  /**
   * Watches from {@code resourceVersion} (null: now). When the API server ends the watch for good
   * (a 410 after its restart), it lists and watches again; uids keep a re-listed Job from counting
   * twice. A Job created and deleted during that gap would be missed, so tests that restart the API
   * server keep their Jobs (cleanup: Keep).
   */
  private Watch start(String resourceVersion) {
    var jobs = ns.client().batch().v1().jobs().inNamespace(ns.name());
    return (resourceVersion == null ? jobs : jobs.withResourceVersion(resourceVersion))
        .watch(
            new Watcher<>() {
              @Override
              public void eventReceived(Action action, Job job) {
                record(action, job);
              }

              @Override
              public void onClose(WatcherException cause) {
                if (cause != null) {
                  restart();
                }
              }
            });
  }

  private synchronized void restart() {
    if (closed) {
      return;
    }
    restarts++;
    // The API server may still be coming up: try for a minute, then let the counts tell.
    for (int attempt = 0; attempt < 120 && !closed; attempt++) {
      try {
        var list = ns.client().batch().v1().jobs().inNamespace(ns.name()).list();
        // What finished or went while the watch was down is not unfinished any more.
        Set<String> listed = new HashSet<>();
        list.getItems().stream()
            .filter(job -> !finished(job))
            .forEach(job -> listed.add(job.getMetadata().getUid()));
        unfinished.retainAll(listed);
        list.getItems().forEach(job -> record(Watcher.Action.ADDED, job));
        watch = start(list.getMetadata().getResourceVersion());
        return;
      } catch (RuntimeException e) {
        try {
          wait(500);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
    throw new IllegalStateException(
        "JobWatch: could not watch Jobs again after the API server ended the watch");
  }

  private synchronized void record(Watcher.Action action, Job job) {
    String name = job.getMetadata().getName();
    String uid = job.getMetadata().getUid();
    switch (action) {
      case ADDED -> {
        if (seen.add(uid)) {
          creations.merge(name, 1, Integer::sum);
          perSecond.merge(
              String.valueOf(job.getMetadata().getCreationTimestamp()), 1, Integer::sum);
        }
        if (!finished(job)) {
          unfinished.add(uid);
        }
      }
      case MODIFIED -> {
        if (finished(job)) {
          unfinished.remove(uid);
        }
      }
      case DELETED -> unfinished.remove(uid);
      default -> {}
    }
    maxUnfinished = Math.max(maxUnfinished, unfinished.size());
  }

  private static boolean finished(Job job) {
    return job.getStatus() != null
        && job.getStatus().getConditions() != null
        && job.getStatus().getConditions().stream()
            .anyMatch(
                c ->
                    ("Complete".equals(c.getType()) || "Failed".equals(c.getType()))
                        && "True".equals(c.getStatus()));
  }

  public synchronized Map<String, Integer> creations() {
    return Map.copyOf(creations);
  }

  /** The most Jobs created within one second. */
  public synchronized int busiestSecond() {
    return perSecond.values().stream().mapToInt(Integer::intValue).max().orElse(0);
  }

  public synchronized int maxUnfinished() {
    return maxUnfinished;
  }

  /** How often the watch had to be re-established after the API server ended it. */
  public synchronized int restarts() {
    return restarts;
  }

  @Override
  public synchronized void close() {
    closed = true;
    watch.close();
  }
}
