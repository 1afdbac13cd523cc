package dev.gridsearch.operator.cluster;

/**
 * The full size, in make test-faults (issue 17's S5 load): 50 searches x 100 trials at parallelism
 * 10, so 500 unfinished trials at once; 20 s trials keep the slots full at the chart's default of
 * 50 Job creations per second. Sizes: -Dmemory.searches, -Dmemory.trials.
 */
class MemoryLimitFaultIT extends AtTheChartsMemoryLimit {
  MemoryLimitFaultIT(ClusterNamespace ns) {
    super(
        ns,
        Integer.getInteger("memory.searches", 50),
        Integer.getInteger("memory.trials", 100),
        10,
        "20s");
  }
}
