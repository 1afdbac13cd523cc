package dev.gridsearch.operator.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;

/**
 * An informer store that drops managedFields, which the operator never reads: they are a large share of every
 * cached Job and Pod (and list every key of a results shard), so they cost memory and time on each cache read.
 */
final class LeanStore<R extends HasMetadata> extends BasicItemStore<R> {
  LeanStore() {
    super(Cache::metaNamespaceKeyFunc);
  }

  @Override
  public R put(String key, R obj) {
    if (obj.getMetadata() != null) {
      obj.getMetadata().setManagedFields(null);
    }
    return super.put(key, obj);
  }
}
