package dev.gridsearch.operator.cluster;

/**
 * The reduced size, in make test: 10 searches x 20 trials at parallelism 10, so 100 unfinished
 * trials at once; 20 s trials keep the slots full while the searches start on a busy machine.
 */
class MemoryLimitIT extends AtTheChartsMemoryLimit {
  MemoryLimitIT(ClusterNamespace ns) {
    super(ns, 10, 20, 10, "20s");
  }
}
