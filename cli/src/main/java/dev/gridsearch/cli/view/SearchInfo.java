package dev.gridsearch.cli.view;

import dev.gridsearch.operator.api.GridSearch;
import dev.gridsearch.operator.api.Objective.Aggregate;
import dev.gridsearch.operator.api.Objective.Goal;
import dev.gridsearch.operator.api.Parameter;
import dev.gridsearch.operator.grid.Axis;
import dev.gridsearch.operator.grid.Grid;
import dev.gridsearch.operator.grid.TrialLayout;
import dev.gridsearch.operator.trial.SpecGrid;
import java.util.List;
import java.util.Optional;

/** What the views need from a search's spec: its parameters in grid order, the objective. */
public record SearchInfo(
    String name,
    String namespace,
    List<String> parameters,
    Optional<Grid> grid,
    String metric,
    Goal goal,
    TrialLayout layout,
    Aggregate aggregate) {

  public static SearchInfo of(GridSearch gs) {
    var spec = gs.getSpec();
    Optional<Grid> grid;
    try {
      grid = Optional.of(SpecGrid.of(spec.parameters()));
    } catch (RuntimeException e) {
      grid = Optional.empty(); // an invalid spec still has records worth reading
    }
    return new SearchInfo(
        gs.getMetadata().getName(),
        gs.getMetadata().getNamespace(),
        spec.parameters().stream().map(Parameter::name).toList(),
        grid,
        spec.objective().metric(),
        spec.objective().goal(),
        spec.layout(),
        spec.objective().aggregateOrDefault());
  }

  /** The axis of parameter {@code name}, when the spec's grid could be built. */
  public Optional<Axis> axis(String name) {
    return grid.flatMap(g -> g.axes().stream().filter(a -> a.name().equals(name)).findFirst());
  }

  /** With repeats or folds a point is several trials, and the views show points. */
  public boolean hasPoints() {
    return layout.perPoint() > 1;
  }

  public boolean maximize() {
    return goal == Goal.Maximize;
  }
}
