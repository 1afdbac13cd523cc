package dev.gridsearch.operator.trial;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Deterministic names and seeds for trials: the same (search, index) always gives the same values.
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

  /** A seed in [0, 2^31) derived from the search name and the trial index. */
  public static int seed(String gridSearch, long index) {
    byte[] h = sha256(gridSearch + "/" + index);
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
