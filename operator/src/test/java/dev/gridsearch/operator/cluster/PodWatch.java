package dev.gridsearch.operator.cluster;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.util.HashSet;
import java.util.Set;

/**
 * The most pods that were alive (created and not yet Succeeded/Failed) at once, from a watch in
 * etcd's order.
 */
public final class PodWatch implements AutoCloseable {
  private final Set<String> alive = new HashSet<>();
  private int maxAlive;
  private final Watch watch;

  public PodWatch(ClusterNamespace ns) {
    this.watch =
        ns.client()
            .pods()
            .inNamespace(ns.name())
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, Pod pod) {
                    record(action, pod);
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                });
  }

  private synchronized void record(Watcher.Action action, Pod pod) {
    String uid = pod.getMetadata().getUid();
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    boolean terminal = "Succeeded".equals(phase) || "Failed".equals(phase);
    if (action == Watcher.Action.DELETED || terminal) {
      alive.remove(uid);
    } else {
      alive.add(uid);
    }
    maxAlive = Math.max(maxAlive, alive.size());
  }

  public synchronized int maxAlive() {
    return maxAlive;
  }

  @Override
  public void close() {
    watch.close();
  }
}
