package dev.gridsearch.operator.grid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class GridTest {

  private final Grid grid =
      new Grid(
          List.of(
              new ValuesAxis("a", List.of("a0", "a1", "a2")),
              new ValuesAxis("b", List.of("b0", "b1", "b2", "b3")),
              new ValuesAxis("c", List.of("c0", "c1"))));

  @Test
  void sizeIsTheProduct() {
    assertThat(grid.size()).isEqualTo(OptionalLong.of(24));
  }

  @Test
  void lastParameterVariesFastest() {
    assertThat(grid.assignment(0).values()).containsExactly("a0", "b0", "c0");
    assertThat(grid.assignment(1).values()).containsExactly("a0", "b0", "c1");
    assertThat(grid.assignment(2).values()).containsExactly("a0", "b1", "c0");
    assertThat(grid.assignment(7).values()).containsExactly("a0", "b3", "c1");
    assertThat(grid.assignment(8).values()).containsExactly("a1", "b0", "c0");
    assertThat(grid.assignment(23).values()).containsExactly("a2", "b3", "c1");
    assertThat(grid.assignment(13).asMap())
        .containsExactly(Map.entry("a", "a1"), Map.entry("b", "b2"), Map.entry("c", "c1"));
  }

  @Test
  void indexOfInvertsAssignment() {
    for (long i = 0; i < 24; i++) {
      assertThat(grid.indexOf(grid.assignment(i))).isEqualTo(i);
    }
  }

  @Test
  void indexOfRefusesForeignAssignments() {
    assertThatThrownBy(() -> grid.indexOf(new Assignment(List.of("a", "b"), List.of("a0", "b0"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("differ");
    assertThatThrownBy(
            () -> grid.indexOf(new Assignment(List.of("a", "b", "c"), List.of("a0", "b9", "c0"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("parameters[1] (name \"b\"): value \"b9\" is not on this axis");
  }

  @Test
  void indexOutsideTheGridIsRefused() {
    assertThatThrownBy(() -> grid.assignment(-1)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> grid.assignment(24))
        .isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessageContaining("24");
  }

  @Test
  void sizeOverflowIsReportedNotThrown() {
    List<Axis> four =
        IntStream.range(0, 4).<Axis>mapToObj(j -> RangeAxis.of("p" + j, 1, 100_000, 1)).toList();
    Grid huge = new Grid(four);
    assertThat(huge.size()).isEmpty();
    // Every long is inside a grid of 10^20 points.
    assertThat(huge.assignment(Long.MAX_VALUE).values())
        .containsExactly("9224", "37204", "68548", "75808");
    assertThat(new Grid(four.subList(0, 3)).size())
        .isEqualTo(OptionalLong.of(1_000_000_000_000_000L));
  }

  @Test
  void billionPointGridIsAddressedWithoutExpansion() {
    List<Axis> digits =
        IntStream.range(0, 9).<Axis>mapToObj(d -> RangeAxis.of("d" + d, 0, 9, 1)).toList();
    Grid nine = new Grid(digits);
    assertThat(nine.size()).isEqualTo(OptionalLong.of(1_000_000_000L));
    assertThat(nine.assignment(999_999_999L).values()).containsOnly("9").hasSize(9);
    assertThat(String.join("", nine.assignment(123_456_789L).values())).isEqualTo("123456789");

    Grid cube =
        new Grid(
            List.of(
                RangeAxis.of("x", 0, 999, 1),
                RangeAxis.of("y", 0, 999, 1),
                RangeAxis.of("z", 0, 999, 1)));
    assertThat(cube.assignment(999_999_999L).values()).containsExactly("999", "999", "999");
    assertThat(cube.assignment(123_456_789L).values()).containsExactly("123", "456", "789");
    assertThat(cube.indexOf(cube.assignment(123_456_789L))).isEqualTo(123_456_789L);
  }

  @Test
  void invalidValuesNameParameterAndValue() {
    Grid bad =
        new Grid(
            List.of(
                RangeAxis.of("lr", 0.1, 0.3, 0.1),
                new ValuesAxis("opt", List.of("adam", "a b", "")),
                new ValuesAxis("path", List.of("s3://bucket/key=v@1", "x".repeat(128))),
                new ValuesAxis("long", List.of("y".repeat(129)))));
    assertThat(bad.invalidValues())
        .containsExactly(
            "parameters[1] (name \"opt\"): value \"a b\" does not match ^[A-Za-z0-9._+:/=@-]{1,128}$",
            "parameters[1] (name \"opt\"): value \"\" does not match ^[A-Za-z0-9._+:/=@-]{1,128}$",
            "parameters[3] (name \"long\"): value \""
                + "y".repeat(100)
                + "... (129 chars)\" does not match ^[A-Za-z0-9._+:/=@-]{1,128}$");
  }

  @Test
  void numericAxesAreValid() {
    Grid numeric =
        new Grid(
            List.of(
                RangeAxis.of("a", -1e-9, 1e30, 1e25),
                new LogRangeAxis("b", 1e-300, 1e300, 1_000_000),
                RangeAxis.of("c", -5, 5, 1)));
    assertThat(numeric.invalidValues()).isEmpty();
  }

  @Test
  void refusesDuplicateOrMissingParameters() {
    assertThatThrownBy(() -> new Grid(List.of())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new Grid(List.of(new ValuesAxis("a", List.of("x")), RangeAxis.of("a", 0, 1, 1))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("duplicate parameter name \"a\"");
  }

  @Test
  void assignmentLooksUpByName() {
    Assignment a = new Assignment(List.of("lr", "opt"), List.of("0.1", "adam"));
    assertThat(a.get("opt")).isEqualTo("adam");
    assertThat(a.asMap()).containsExactly(Map.entry("lr", "0.1"), Map.entry("opt", "adam"));
    assertThatThrownBy(() -> a.get("momentum")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> a.asMap().put("x", "y"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> new Assignment(List.of("a"), List.of("1", "2")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
