package dev.gridsearch.operator.cluster;

/** The reduced size, in make test: 10 searches x 30 trials at parallelism 10, so 100 unfinished trials at once. */
class MemoryLimitIT extends AtTheChartsMemoryLimit {
  MemoryLimitIT(ClusterNamespace ns) {
    super(ns, 10, 30, 10, "5s");
  }
}
