package dev.gridsearch.cli.view;

/**
 * Viridis (matplotlib's default colour map): perceptually uniform and readable by most colour-blind
 * people; sampled at nine stops and interpolated.
 */
public final class Palette {
  private static final int[][] STOPS = {
    {68, 1, 84},
    {71, 44, 122},
    {59, 81, 139},
    {44, 113, 142},
    {33, 144, 141},
    {39, 173, 129},
    {92, 200, 99},
    {170, 220, 50},
    {253, 231, 37}
  };

  private Palette() {}

  /** The colour of t in [0, 1] as {r, g, b}. */
  public static int[] rgb(double t) {
    double c = Math.max(0, Math.min(1, Double.isNaN(t) ? 0 : t)) * (STOPS.length - 1);
    int k = Math.min((int) Math.floor(c), STOPS.length - 2);
    double f = c - k;
    int[] out = new int[3];
    for (int i = 0; i < 3; i++) {
      out[i] = (int) Math.round(STOPS[k][i] + f * (STOPS[k + 1][i] - STOPS[k][i]));
    }
    return out;
  }

  public static String hex(double t) {
    int[] c = rgb(t);
    return String.format("#%02x%02x%02x", c[0], c[1], c[2]);
  }

  /** Dark text on the light end, light text on the dark end. */
  public static boolean light(double t) {
    int[] c = rgb(t);
    return 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2] > 140;
  }

  /** Where v lies between lo and hi, 0.5 when they are equal. */
  public static double position(double v, double lo, double hi) {
    return hi > lo ? (v - lo) / (hi - lo) : 0.5;
  }
}
