package dev.gridsearch.operator.trial;

import dev.gridsearch.operator.api.LogRange;
import dev.gridsearch.operator.api.Parameter;
import dev.gridsearch.operator.api.Range;
import dev.gridsearch.operator.grid.Axis;
import dev.gridsearch.operator.grid.Grid;
import dev.gridsearch.operator.grid.LogRangeAxis;
import dev.gridsearch.operator.grid.RangeAxis;
import dev.gridsearch.operator.grid.ValuesAxis;
import io.fabric8.kubernetes.api.model.AnyType;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The grid a spec's parameters describe. The CRD cannot see values, so "exactly one kind" is
 * checked here too (the admission policy refuses it first where it is installed); the reconciler
 * reports the exception as Invalid.
 */
public final class SpecGrid {
  private SpecGrid() {}

  public static Grid of(List<Parameter> parameters) {
    for (int i = 0; i < parameters.size(); i++) {
      Parameter p = parameters.get(i);
      if (Stream.of(p.values(), p.range(), p.logRange()).filter(Objects::nonNull).count() != 1) {
        throw new IllegalArgumentException(
            "parameters["
                + i
                + "] ("
                + p.name()
                + "): exactly one of values, range or logRange must be set");
      }
    }
    return new Grid(parameters.stream().map(SpecGrid::axis).toList());
  }

  private static Axis axis(Parameter p) {
    if (p.values() != null) {
      return ValuesAxis.of(p.name(), p.values().stream().map(AnyType::getValue).toList());
    }
    if (p.range() != null) {
      Range r = p.range();
      return RangeAxis.of(p.name(), r.min(), r.max(), r.step());
    }
    LogRange r = p.logRange();
    return new LogRangeAxis(p.name(), r.min(), r.max(), r.count());
  }
}
