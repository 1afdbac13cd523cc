package dev.gridsearch.operator.grid;

import java.util.Objects;

/**
 * A geometric axis: {@code count} values from {@code min} to {@code max}, value k being {@code min
 * * (max/min)^(k/(count-1))}; the end points are exactly {@code min} and {@code max}.
 */
public record LogRangeAxis(String name, double min, double max, int count) implements Axis {

  public LogRangeAxis {
    Objects.requireNonNull(name, "name");
    if (!Double.isFinite(min) || !Double.isFinite(max) || min <= 0 || max <= 0) {
      throw new IllegalArgumentException(
          "parameter \"" + name + "\": logRange min and max must be finite and positive");
    }
    if (count < 1) {
      throw new IllegalArgumentException(
          "parameter \"" + name + "\": logRange count must be at least 1, got " + count);
    }
    if (count == 1 && min != max) {
      throw new IllegalArgumentException(
          "parameter \"" + name + "\": logRange with count 1 needs min == max");
    }
    if (count > 1 && !(min < max)) {
      throw new IllegalArgumentException(
          "parameter \"" + name + "\": logRange min must be below max when count > 1");
    }
  }

  @Override
  public long size() {
    return count;
  }

  @Override
  public String valueAt(long k) {
    Objects.checkIndex(k, size());
    if (k == 0) {
      return ValueFormat.render(min);
    }
    if (k == count - 1) {
      return ValueFormat.render(max);
    }
    double t = (double) k / (count - 1);
    double ratio = max / min;
    // A ratio beyond the double range (1e-300 to 1e300) is interpolated through logarithms instead.
    double value =
        Double.isFinite(ratio)
            ? min * Math.pow(ratio, t)
            : Math.exp(Math.log(min) + t * (Math.log(max) - Math.log(min)));
    return ValueFormat.render(value);
  }

  @Override
  public long indexOf(String value) {
    double v;
    try {
      v = Double.parseDouble(value);
    } catch (NumberFormatException e) {
      return -1;
    }
    if (!(v > 0)) {
      return -1;
    }
    double position = (Math.log(v) - Math.log(min)) / (Math.log(max) - Math.log(min));
    long nearest = count == 1 ? 0 : Math.round(position * (count - 1));
    // Rendering rounds to 12 digits, so the true position is the estimate or a neighbour.
    for (long k = Math.max(0, nearest - 1); k <= Math.min(count - 1L, nearest + 1); k++) {
      if (valueAt(k).equals(value)) {
        return k;
      }
    }
    return -1;
  }
}
