package dev.gridsearch.operator.trial;

import dev.gridsearch.operator.grid.Assignment;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.TreeMap;

/**
 * Deterministic names and seeds for trials: the same (search, index) always gives the same name,
 * and the same (point, repeat) the same seed.
 */
public final class TrialNames {
  /** A Job name must fit the 63-character job-name label its pods get. */
  static final int MAX_JOB_NAME = 63;

  private static final int HASH_CHARS = 8;

  private TrialNames() {}

  /**
   * {@code <gridsearch>-<index>}, or a truncated prefix plus a hash of the full search name when
   * too long.
   */
  public static String jobName(String gridSearch, long index) {
    String plain = gridSearch + "-" + index;
    if (plain.length() <= MAX_JOB_NAME) {
      return plain;
    }
    String suffix = "-" + hex(sha256(gridSearch)).substring(0, HASH_CHARS) + "-" + index;
    return gridSearch.substring(0, MAX_JOB_NAME - suffix.length()) + suffix;
  }

  /**
   * A seed in [0, 2^31) derived from the point's assignment (names sorted, so the order parameters
   * are written in does not matter) and the repeat, not from the search: the same point and repeat
   * get the same seed in any search, so reruns reproduce and results carry over. Every fold of a
   * repeat shares it, as the folds of one KFold split share a shuffle.
   */
  public static int seed(Assignment assignment, int repeat) {
    StringBuilder key = new StringBuilder();
    new TreeMap<>(assignment.asMap())
        .forEach((name, value) -> key.append(name).append('=').append(value).append('\n'));
    byte[] h = sha256(key.append("repeat=").append(repeat).toString());
    int v = ((h[0] & 0xff) << 24) | ((h[1] & 0xff) << 16) | ((h[2] & 0xff) << 8) | (h[3] & 0xff);
    return v & 0x7fffffff;
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
