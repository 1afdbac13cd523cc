package dev.gridsearch.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** A hyperparameter grid search: one Kubernetes Job per grid point. */
@Group(GridSearch.GROUP)
@Version(GridSearch.VERSION)
@Kind("GridSearch")
@Plural("gridsearches")
@Singular("gridsearch")
@ShortNames("gs")
@Categories("ml")
@AdditionalPrinterColumn(
    name = "Phase",
    jsonPath = ".status.phase",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Progress",
    jsonPath = ".status.progress",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Best",
    jsonPath = ".status.best.value",
    type = AdditionalPrinterColumn.Type.NUMBER)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(
    name = "Metric",
    jsonPath = ".spec.objective.metric",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
@AdditionalPrinterColumn(
    name = "Running",
    jsonPath = ".status.trials.running",
    type = AdditionalPrinterColumn.Type.INTEGER,
    priority = 1)
@AdditionalPrinterColumn(
    name = "Failed",
    jsonPath = ".status.trials.failed",
    type = AdditionalPrinterColumn.Type.INTEGER,
    priority = 1)
@AdditionalPrinterColumn(
    name = "Reason",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
@ValidationRule(
    value = "self.metadata.name.size() <= 52",
    message =
        "metadata.name must be at most 52 characters, leaving room for -<index> in trial Job names")
public class GridSearch extends CustomResource<GridSearchSpec, GridSearchStatus>
    implements Namespaced {
  public static final String GROUP = "gridsearch.dev";
  public static final String VERSION = "v1alpha1";

  /** On every trial Job, its pods and the results ConfigMaps: which search they belong to. */
  public static final String NAME_LABEL = GROUP + "/name";

  /** On every trial Job and its pods: the trial index. */
  public static final String TRIAL_INDEX_LABEL = GROUP + "/trial-index";
}
