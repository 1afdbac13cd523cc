package dev.gridsearch.operator.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * A memory cgroup of its own, child of this JVM's, limited like a container: cgroup v1 ({@code
 * memory.limit_in_bytes}, {@code memory.max_usage_in_bytes}, {@code oom_kill} in {@code
 * memory.oom_control}) or cgroup v2 ({@code memory.max}, {@code memory.peak}, {@code oom_kill} in
 * {@code memory.events}). Needs root (or a delegated subtree); when neither works, {@link #create}
 * throws with the reason, so a test that needs it fails rather than skips.
 */
public final class MemoryCgroup implements AutoCloseable {
  private final Path dir;
  private final boolean v2;
  private final long limitBytes;
  private final AtomicLong peakWorkingSet = new AtomicLong();
  private final AtomicLong peakAnon = new AtomicLong();
  private final Thread sampler;

  private MemoryCgroup(Path dir, boolean v2, long limitBytes) {
    this.dir = dir;
    this.v2 = v2;
    this.limitBytes = limitBytes;
    // The kernel keeps the peak of usage (page cache included); the working set (what the kubelet
    // evicts on) and
    // the anonymous memory have no kernel peak, so they are sampled.
    this.sampler = new Thread(this::sample, "cgroup-sampler-" + dir.getFileName());
    this.sampler.setDaemon(true);
    this.sampler.start();
  }

  /**
   * Creates {@code name} below this process's memory cgroup with the given limit, or says why it
   * cannot.
   */
  public static MemoryCgroup create(String name, long limitBytes) {
    try {
      Path v1Root = Path.of("/sys/fs/cgroup/memory");
      if (Files.exists(v1Root.resolve("memory.limit_in_bytes"))) {
        Path dir = v1Root.resolve(relative(own("memory"))).resolve(name);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("memory.limit_in_bytes"), Long.toString(limitBytes));
        // With swap, the limit alone would let the JVM page out instead of being killed; a
        // container has no swap.
        Path memsw = dir.resolve("memory.memsw.limit_in_bytes");
        if (Files.exists(memsw)) {
          Files.writeString(memsw, Long.toString(limitBytes));
        }
        return new MemoryCgroup(dir, false, limitBytes);
      }
      Path v2Root = Path.of("/sys/fs/cgroup");
      if (Files.exists(v2Root.resolve("cgroup.controllers"))) {
        Path self = v2Root.resolve(relative(own("")));
        // No process may live in a cgroup that hands controllers to children: so a child of ours
        // only if ours already
        // delegates memory, else a sibling (our parent delegates memory to us when ours lists it).
        Path parent;
        if (Files.readString(self.resolve("cgroup.subtree_control")).contains("memory")) {
          parent = self;
        } else if (Files.readString(self.resolve("cgroup.controllers")).contains("memory")) {
          parent = self.getParent();
        } else {
          throw new IllegalStateException("the memory controller is not enabled for " + self);
        }
        Path dir = parent.resolve(name);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("memory.max"), Long.toString(limitBytes));
        if (Files.exists(dir.resolve("memory.swap.max"))) {
          Files.writeString(dir.resolve("memory.swap.max"), "0");
        }
        return new MemoryCgroup(dir, true, limitBytes);
      }
      throw new IllegalStateException(
          "no memory cgroup controller: neither /sys/fs/cgroup/memory (v1) nor "
              + "/sys/fs/cgroup/cgroup.controllers (v2) exists");
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException(
          "cannot create a memory cgroup for the memory-limit test ("
              + e
              + "); it needs root, or a cgroup v2 subtree delegated to this user with the memory controller. "
              + "This test cannot run here: it does not pass by skipping.",
          e);
    }
  }

  /**
   * The command run inside this cgroup: a shell joins it, then execs the command, so every byte the
   * JVM ever touches is charged here from its first instruction.
   */
  public List<String> wrap(List<String> command) {
    List<String> out =
        new ArrayList<>(
            List.of(
                "/bin/sh",
                "-c",
                "echo $$ > '" + dir.resolve("cgroup.procs") + "' && exec \"$@\"",
                "sh"));
    out.addAll(command);
    return out;
  }

  public long limitBytes() {
    return limitBytes;
  }

  public Path path() {
    return dir;
  }

  /**
   * The kernel's peak of usage (anonymous memory and page cache); v2 kernels before 5.19 have no
   * memory.peak.
   */
  public long peakBytes() {
    try {
      Path peak = dir.resolve(v2 ? "memory.peak" : "memory.max_usage_in_bytes");
      return Files.exists(peak)
          ? Long.parseLong(Files.readString(peak).strip())
          : peakWorkingSet.get();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the cgroup's peak in " + dir, e);
    }
  }

  /**
   * The sampled peak of usage minus inactive page cache: what the kubelet calls the working set.
   */
  public long peakWorkingSetBytes() {
    return peakWorkingSet.get();
  }

  /**
   * The sampled peak of anonymous memory (heap, stacks, malloc, metaspace: what the OOM killer
   * reports).
   */
  public long peakAnonBytes() {
    return peakAnon.get();
  }

  /** How many processes the kernel's OOM killer killed in this cgroup. */
  public long oomKills() {
    try {
      return counter(
              Files.readString(dir.resolve(v2 ? "memory.events" : "memory.oom_control")),
              "oom_kill")
          .orElseThrow(
              () -> new IllegalStateException("this kernel reports no oom_kill count in " + dir));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the cgroup's OOM count in " + dir, e);
    }
  }

  public String describe() {
    return "%s cgroup %s: limit %d MiB, peak usage %d MiB (%.0f%%), peak working set %d MiB, peak anon %d MiB, OOM kills %d"
        .formatted(
            v2 ? "v2" : "v1",
            dir,
            limitBytes >> 20,
            peakBytes() >> 20,
            100.0 * peakBytes() / limitBytes,
            peakWorkingSetBytes() >> 20,
            peakAnonBytes() >> 20,
            oomKills());
  }

  @Override
  public void close() throws InterruptedException {
    sampler.interrupt();
    sampler.join(2000);
    // Fails (EBUSY) while a process is still inside; the process was stopped by then, or the
    // directory stays.
    dir.toFile().delete();
  }

  private void sample() {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        long usage =
            Long.parseLong(
                Files.readString(dir.resolve(v2 ? "memory.current" : "memory.usage_in_bytes"))
                    .strip());
        Map<String, Long> stat = stat();
        long inactiveFile = stat.getOrDefault(v2 ? "inactive_file" : "total_inactive_file", 0L);
        long anon = v2 ? stat.getOrDefault("anon", 0L) : stat.getOrDefault("total_rss", 0L);
        peakWorkingSet.accumulateAndGet(Math.max(0, usage - inactiveFile), Math::max);
        peakAnon.accumulateAndGet(anon, Math::max);
        Thread.sleep(100);
      } catch (InterruptedException e) {
        return;
      } catch (IOException | RuntimeException e) {
        return; // the cgroup is gone
      }
    }
  }

  private Map<String, Long> stat() throws IOException {
    return Files.readAllLines(dir.resolve("memory.stat")).stream()
        .map(l -> l.split(" "))
        .filter(p -> p.length == 2)
        .collect(Collectors.toMap(p -> p[0], p -> Long.parseLong(p[1]), (a, b) -> a));
  }

  private static Optional<Long> counter(String text, String key) {
    return text.lines()
        .map(l -> l.split(" "))
        .filter(p -> p.length == 2 && p[0].equals(key))
        .map(p -> Long.parseLong(p[1]))
        .findFirst();
  }

  /**
   * This process's cgroup path for a v1 controller, or the v2 path for "" (from /proc/self/cgroup).
   */
  private static String own(String controller) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
      String[] parts = line.split(":", 3);
      if (parts.length == 3
          && (controller.isEmpty()
              ? parts[0].equals("0") && parts[1].isEmpty()
              : List.of(parts[1].split(",")).contains(controller))) {
        return parts[2];
      }
    }
    throw new IllegalStateException(
        "/proc/self/cgroup names no " + (controller.isEmpty() ? "v2" : controller) + " cgroup");
  }

  private static String relative(String path) {
    return path.startsWith("/") ? path.substring(1) : path;
  }
}
