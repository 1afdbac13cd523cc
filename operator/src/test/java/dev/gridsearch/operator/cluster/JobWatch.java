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
 * Records, from a watch on the API server (so in etcd's order), how often each Job was created and how many were
 * unfinished at once: created, not yet Complete/Failed and not deleted.
 */
public final class JobWatch implements AutoCloseable {
  private final Map<String, Integer> creations = new HashMap<>();
  private final Set<String> unfinished = new HashSet<>();
  private final Set<String> seen = new HashSet<>();
  private int maxUnfinished;
  private final Watch watch;

  public JobWatch(ClusterNamespace ns) {
    this.watch = ns.client().batch().v1().jobs().inNamespace(ns.name()).watch(new Watcher<>() {
      @Override
      public void eventReceived(Action action, Job job) {
        record(action, job);
      }

      @Override
      public void onClose(WatcherException cause) {
      }
    });
  }

  private synchronized void record(Watcher.Action action, Job job) {
    String name = job.getMetadata().getName();
    String uid = job.getMetadata().getUid();
    switch (action) {
      case ADDED -> {
        if (seen.add(uid)) {
          creations.merge(name, 1, Integer::sum);
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
      default -> { }
    }
    maxUnfinished = Math.max(maxUnfinished, unfinished.size());
  }

  private static boolean finished(Job job) {
    return job.getStatus() != null && job.getStatus().getConditions() != null && job.getStatus().getConditions()
        .stream().anyMatch(c -> ("Complete".equals(c.getType()) || "Failed".equals(c.getType()))
            && "True".equals(c.getStatus()));
  }

  public synchronized Map<String, Integer> creations() {
    return Map.copyOf(creations);
  }

  public synchronized int maxUnfinished() {
    return maxUnfinished;
  }

  @Override
  public void close() {
    watch.close();
  }
}
