package dev.gridsearch.cli.view;

/** How the values that fall into one cell (the other parameters, repeats) become one number. */
public enum Reduce {
  max,
  min,
  mean;

  /** The best value: max when the objective is maximised, min otherwise. */
  public static Reduce best(boolean maximize) {
    return maximize ? max : min;
  }
}
