package dev.gridsearch.operator.grid;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.LongStream;

/**
 * The Cartesian product of axes, addressed by trial index in mixed radix with the last axis varying
 * fastest (nested loops in axis order). Nothing is materialised: memory is per axis, not per point.
 */
public final class Grid {

  /** Values are substituted into Jobs as text, so they are limited to this alphabet and length. */
  /** The same set as API.md's pattern, with the hyphen last so CEL and Java read it alike. */
  public static final String VALUE_REGEX = "^[A-Za-z0-9._+:/=@-]{1,128}$";

  private static final Pattern VALUE_PATTERN = Pattern.compile(VALUE_REGEX);

  private static final int MAX_SHOWN_VALUE_CHARS = 100;

  private final List<Axis> axes;
  private final List<String> names;
  private final long[] sizes;
  private final OptionalLong size;

  public Grid(List<Axis> axes) {
    this.axes = List.copyOf(axes);
    if (this.axes.isEmpty()) {
      throw new IllegalArgumentException("a grid needs at least one parameter");
    }
    Set<String> seen = new HashSet<>();
    for (Axis axis : this.axes) {
      if (!seen.add(axis.name())) {
        throw new IllegalArgumentException("duplicate parameter name \"" + axis.name() + "\"");
      }
    }
    this.names = this.axes.stream().map(Axis::name).toList();
    this.sizes = this.axes.stream().mapToLong(Axis::size).toArray();
    this.size = product(sizes);
  }

  public List<Axis> axes() {
    return axes;
  }

  /** Number of points, or empty when it exceeds {@link Long#MAX_VALUE}. */
  public OptionalLong size() {
    return size;
  }

  /**
   * The assignment of trial {@code index}. When the size overflows every non-negative long is a
   * valid index, because the grid is larger than any of them.
   */
  public Assignment assignment(long index) {
    if (index < 0 || (size.isPresent() && index >= size.getAsLong())) {
      throw new IndexOutOfBoundsException(
          "trial index "
              + index
              + " outside grid of size "
              + (size.isPresent() ? size.getAsLong() : "over " + Long.MAX_VALUE));
    }
    String[] values = new String[axes.size()];
    long rest = index;
    for (int j = axes.size() - 1; j >= 0; j--) {
      values[j] = axes.get(j).valueAt(rest % sizes[j]);
      rest /= sizes[j];
    }
    return new Assignment(names, List.of(values));
  }

  /** Inverse of {@link #assignment}; {@link IllegalArgumentException} if it is not a grid point. */
  public long indexOf(Assignment assignment) {
    Objects.requireNonNull(assignment, "assignment");
    if (!assignment.names().equals(names)) {
      throw new IllegalArgumentException(
          "assignment names " + assignment.names() + " differ from grid parameters " + names);
    }
    long index = 0;
    for (int j = 0; j < axes.size(); j++) {
      String value = assignment.values().get(j);
      long k = axes.get(j).indexOf(value);
      if (k < 0) {
        throw new IllegalArgumentException(
            describe(j) + ": value \"" + value + "\" is not on this axis");
      }
      try {
        index = Math.addExact(Math.multiplyExact(index, sizes[j]), k);
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException("assignment lies beyond index " + Long.MAX_VALUE, e);
      }
    }
    return index;
  }

  /**
   * One message per value that cannot be substituted into a Job, e.g. {@code parameters[1] (name
   * "opt"): value "a b" does not match ^[A-Za-z0-9._+\-:/=@]{1,128}$}. Empty when all are valid.
   */
  public List<String> invalidValues() {
    List<String> errors = new ArrayList<>();
    for (int j = 0; j < axes.size(); j++) {
      Axis axis = axes.get(j);
      for (long k : probes(axis)) {
        String value = axis.valueAt(k);
        if (!VALUE_PATTERN.matcher(value).matches()) {
          errors.add(
              describe(j)
                  + ": value \""
                  + shorten(value)
                  + "\" does not match "
                  + VALUE_PATTERN.pattern());
        }
      }
    }
    return errors;
  }

  private static long[] probes(Axis axis) {
    if (axis instanceof ValuesAxis values) {
      return LongStream.range(0, values.size()).toArray();
    }
    // Rendered numbers use only digits, '.', '-', '+' and 'e': the ends and middle stand for all.
    long last = axis.size() - 1;
    return LongStream.of(0, last / 2, last).distinct().toArray();
  }

  private String describe(int j) {
    return "parameters[" + j + "] (name \"" + axes.get(j).name() + "\")";
  }

  private static String shorten(String value) {
    return value.length() <= MAX_SHOWN_VALUE_CHARS
        ? value
        : value.substring(0, MAX_SHOWN_VALUE_CHARS) + "... (" + value.length() + " chars)";
  }

  private static OptionalLong product(long[] sizes) {
    long product = 1;
    for (long s : sizes) {
      try {
        product = Math.multiplyExact(product, s);
      } catch (ArithmeticException e) {
        return OptionalLong.empty();
      }
    }
    return OptionalLong.of(product);
  }
}
