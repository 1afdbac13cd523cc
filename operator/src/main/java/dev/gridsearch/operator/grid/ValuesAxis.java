package dev.gridsearch.operator.grid;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** An axis with an explicit list of values, already rendered to text. */
public record ValuesAxis(String name, List<String> values) implements Axis {

  public ValuesAxis {
    Objects.requireNonNull(name, "name");
    values = List.copyOf(values);
    if (values.isEmpty()) {
      throw new IllegalArgumentException("parameter \"" + name + "\": values must not be empty");
    }
    // Two values that render alike would run the same trial twice (CEL cannot see the mixed-type
    // list to check).
    Map<String, Integer> first = new HashMap<>();
    for (int i = 0; i < values.size(); i++) {
      Integer earlier = first.putIfAbsent(values.get(i), i);
      if (earlier != null) {
        throw new IllegalArgumentException(
            "parameter \""
                + name
                + "\": values must be unique, but values["
                + i
                + "] ("
                + values.get(i)
                + ") repeats values["
                + earlier
                + "]");
      }
    }
  }

  /** Builds an axis from raw JSON items: strings as they are, numbers and booleans rendered. */
  public static ValuesAxis of(String name, List<?> raw) {
    List<String> rendered = new ArrayList<>(raw.size());
    for (int i = 0; i < raw.size(); i++) {
      Object item = raw.get(i);
      if (item instanceof String s) {
        rendered.add(s);
      } else if (item instanceof Boolean b) {
        rendered.add(b.toString());
      } else if (item instanceof Number n) {
        rendered.add(ValueFormat.render(n));
      } else {
        throw new IllegalArgumentException(
            "parameter \""
                + name
                + "\": values["
                + i
                + "] must be a string, number or boolean, got "
                + (item == null ? "null" : item.getClass().getSimpleName()));
      }
    }
    return new ValuesAxis(name, rendered);
  }

  @Override
  public long size() {
    return values.size();
  }

  @Override
  public String valueAt(long k) {
    return values.get((int) Objects.checkIndex(k, values.size()));
  }

  @Override
  public long indexOf(String value) {
    return values.indexOf(value);
  }
}
