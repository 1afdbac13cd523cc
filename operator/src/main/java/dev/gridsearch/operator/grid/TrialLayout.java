package dev.gridsearch.operator.grid;

/**
 * How trials lay out over a grid's points: each point runs {@code repeats × folds} trials, the fold
 * varying fastest, then the repeat, so a point's trials are consecutive indexes.
 */
public record TrialLayout(int repeats, int folds) {
  public TrialLayout {
    if (repeats < 1 || folds < 1) {
      throw new IllegalArgumentException("repeats and folds must be at least 1");
    }
  }

  public static TrialLayout of(Integer repeats, Integer folds) {
    return new TrialLayout(repeats == null ? 1 : repeats, folds == null ? 1 : folds);
  }

  /** Trials per point. */
  public int perPoint() {
    return repeats * folds;
  }

  public long point(long trial) {
    return trial / perPoint();
  }

  public int repeat(long trial) {
    return (int) ((trial / folds) % repeats);
  }

  public int fold(long trial) {
    return (int) (trial % folds);
  }

  /**
   * The trial's split number within its point, {@code repeat × folds + fold}, as scikit-learn
   * numbers a RepeatedKFold's splits.
   */
  public int split(long trial) {
    return (int) (trial % perPoint());
  }

  /** The first trial of a point. */
  public long firstTrial(long point) {
    return point * perPoint();
  }

  /** Trials for {@code points} points, or Long.MAX_VALUE when that overflows. */
  public long trials(long points) {
    return points > Long.MAX_VALUE / perPoint() ? Long.MAX_VALUE : points * perPoint();
  }
}
