package dev.gridsearch.operator.grid;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class GridPropertyTest {

  @Provide
  Arbitrary<Grid> smallGrids() {
    return axis().list().ofMinSize(1).ofMaxSize(4).map(GridPropertyTest::named).map(Grid::new);
  }

  // Axis names are assigned afterwards, so generated grids never repeat a name.
  private static Arbitrary<Axis> axis() {
    Arbitrary<Integer> size = Arbitraries.integers().between(1, 6);
    Arbitrary<Axis> values =
        Arbitraries.strings()
            .withCharRange('a', 'e')
            .ofMinLength(1)
            .ofMaxLength(3)
            .set()
            .ofMinSize(1)
            .ofMaxSize(6)
            .map(set -> new ValuesAxis("_", new ArrayList<>(set)));
    Arbitrary<Axis> integers =
        Combinators.combine(
                Arbitraries.integers().between(-100, 100),
                Arbitraries.integers().between(1, 50),
                size)
            .as((min, step, n) -> RangeAxis.of("_", min, min + (long) (n - 1) * step, step));
    Arbitrary<Axis> decimals =
        Combinators.combine(Arbitraries.integers().between(-20, 20), size)
            .as((min, n) -> RangeAxis.of("_", min * 0.1, min * 0.1 + (n - 1) * 0.1, 0.1));
    Arbitrary<Axis> logs =
        Combinators.combine(Arbitraries.integers().between(-8, 2), size)
            .as(
                (e, n) ->
                    n == 1
                        ? new LogRangeAxis("_", Math.pow(10, e), Math.pow(10, e), 1)
                        : new LogRangeAxis("_", Math.pow(10, e), Math.pow(10, e + n - 1), n));
    return Arbitraries.oneOf(values, integers, decimals, logs);
  }

  private static List<Axis> named(List<Axis> axes) {
    return IntStream.range(0, axes.size()).mapToObj(j -> rename(axes.get(j), "p" + j)).toList();
  }

  private static Axis rename(Axis axis, String name) {
    if (axis instanceof ValuesAxis v) {
      return new ValuesAxis(name, v.values());
    }
    if (axis instanceof RangeAxis r) {
      return new RangeAxis(name, r.min(), r.max(), r.step());
    }
    LogRangeAxis l = (LogRangeAxis) axis;
    return new LogRangeAxis(name, l.min(), l.max(), l.count());
  }

  // The reference: the grid written out as nested loops, first axis outermost.
  private static List<List<String>> nestedLoops(List<Axis> axes) {
    List<List<String>> points = new ArrayList<>();
    points.add(List.of());
    for (Axis axis : axes) {
      List<List<String>> next = new ArrayList<>();
      for (List<String> prefix : points) {
        for (long k = 0; k < axis.size(); k++) {
          List<String> point = new ArrayList<>(prefix);
          point.add(axis.valueAt(k));
          next.add(point);
        }
      }
      points = next;
    }
    return points;
  }

  @Property(tries = 500)
  void assignmentIsTheNestedLoopProductInOrder(@ForAll("smallGrids") Grid grid) {
    List<List<String>> expected = nestedLoops(grid.axes());
    long size = grid.size().orElseThrow();
    assertThat(size).isEqualTo(expected.size());
    for (int i = 0; i < size; i++) {
      assertThat(grid.assignment(i).values()).isEqualTo(expected.get(i));
    }
  }

  @Property(tries = 500)
  void assignmentIsABijection(@ForAll("smallGrids") Grid grid) {
    long size = grid.size().orElseThrow();
    Set<List<String>> seen = new HashSet<>();
    for (long i = 0; i < size; i++) {
      Assignment a = grid.assignment(i);
      assertThat(seen.add(a.values())).as("index %d repeats %s", i, a).isTrue();
      assertThat(grid.indexOf(a)).isEqualTo(i);
    }
  }

  @Property(tries = 200)
  void generatedNumericValuesAreValid(@ForAll("smallGrids") Grid grid) {
    assertThat(grid.invalidValues()).isEmpty();
  }
}
