package dev.gridsearch.operator.grid;

/**
 * One parameter of a grid: a name and an ordered, indexable list of rendered values that is never
 * materialised for ranges.
 */
public sealed interface Axis permits ValuesAxis, RangeAxis, LogRangeAxis {

  String name();

  /** Number of values, at least 1. */
  long size();

  /** The k-th value as rendered text; {@link IndexOutOfBoundsException} outside [0, size). */
  String valueAt(long k);

  /**
   * Position of a value rendered exactly as {@code value}, or -1 if there is none. When rendering
   * makes several values read alike, the first one for lists and the nearest one for ranges.
   */
  long indexOf(String value);
}
