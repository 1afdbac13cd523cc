package dev.gridsearch.operator.grid;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One point of a grid: the value chosen for each parameter, in parameter order. */
public record Assignment(List<String> names, List<String> values) {

  public Assignment {
    names = List.copyOf(names);
    values = List.copyOf(values);
    if (names.size() != values.size()) {
      throw new IllegalArgumentException(names.size() + " names but " + values.size() + " values");
    }
    if (names.stream().distinct().count() != names.size()) {
      throw new IllegalArgumentException("duplicate parameter name in " + names);
    }
  }

  /** Name to value, in parameter order; unmodifiable. */
  public Map<String, String> asMap() {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) {
      map.put(names.get(i), values.get(i));
    }
    return Collections.unmodifiableMap(map);
  }

  /** The value of one parameter; an unknown name is a caller bug, so it throws. */
  public String get(String name) {
    int i = names.indexOf(name);
    if (i < 0) {
      throw new IllegalArgumentException("no parameter named \"" + name + "\" in " + names);
    }
    return values.get(i);
  }
}
