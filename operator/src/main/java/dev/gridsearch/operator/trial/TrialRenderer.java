package dev.gridsearch.operator.trial;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.gridsearch.operator.api.GridSearch;
import dev.gridsearch.operator.api.GridSearchSpec;
import dev.gridsearch.operator.grid.Assignment;
import dev.gridsearch.operator.grid.Axis;
import dev.gridsearch.operator.grid.Grid;
import dev.gridsearch.operator.grid.TrialLayout;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.JobTemplateSpec;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicy;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyOnPodConditionsPattern;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRule;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders trial i of a GridSearch as the batch/v1 Job of API.md ("What the operator creates per
 * trial").
 */
public final class TrialRenderer {
  public static final String KUEUE_QUEUE_LABEL = "kueue.x-k8s.io/queue-name";
  static final String FALLBACK_TO_LOGS = "FallbackToLogsOnError";

  /**
   * The pod condition the control plane sets on eviction, preemption, taint-based deletion and node
   * shutdown.
   */
  public static final String DISRUPTION_TARGET = "DisruptionTarget";

  /** The API server refuses a podFailurePolicy with more rules than this. */
  static final int MAX_POD_FAILURE_RULES = 20;

  private static final String TEMPLATE_PATH = "spec.trialTemplate";

  private final GridSearch gridSearch;
  private final Grid grid;
  private final TrialLayout layout;
  private final KubernetesSerialization serialization;
  private final ObjectNode template;

  public TrialRenderer(GridSearch gridSearch, Grid grid, KubernetesSerialization serialization) {
    this.gridSearch = gridSearch;
    this.grid = grid;
    this.layout = gridSearch.getSpec().layout();
    this.serialization = serialization;
    GridSearchSpec spec = gridSearch.getSpec();
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    if (spec.trialTemplate().metadata() != null) {
      node.set("metadata", spec.trialTemplate().metadata().deepCopy());
    }
    node.set("spec", spec.trialTemplate().spec().deepCopy());
    this.template = node;
  }

  /**
   * Every unknown placeholder in the template, each naming where it was found; empty when the
   * template is fine.
   */
  public List<String> placeholderErrors() {
    List<String> names = grid.axes().stream().map(Axis::name).toList();
    Set<String> declared = new LinkedHashSet<>(names);
    Map<String, String> values = placeholderValues(names, names, "", 0, "0");
    List<String> errors = new ArrayList<>();
    walk(
        template.deepCopy(),
        TEMPLATE_PATH,
        (path, text) ->
            Placeholders.substitute(
                text,
                values,
                key -> errors.add(path + ": " + Placeholders.explain(key, declared))));
    return errors;
  }

  /**
   * The Job of trial {@code index}. Assumes {@link #placeholderErrors()} is empty; unknown ones
   * stay verbatim.
   *
   * @throws IllegalArgumentException when the rendered template cannot be read as a Job template
   */
  public Job render(long index) {
    Assignment assignment = grid.assignment(layout.point(index));
    String name = gridSearch.getMetadata().getName();
    String jobName = TrialNames.jobName(name, index);
    int seed = TrialNames.seed(assignment, layout.repeat(index));
    Map<String, String> values =
        placeholderValues(
            assignment.names(), assignment.values(), jobName, index, Integer.toString(seed));
    ObjectNode tree = template.deepCopy();
    walk(tree, TEMPLATE_PATH, (path, text) -> Placeholders.substitute(text, values, key -> {}));
    JobTemplateSpec rendered = serialization.convertValue(tree, JobTemplateSpec.class);
    return assemble(rendered, jobName, index, values, assignment);
  }

  private Map<String, String> placeholderValues(
      List<String> names, List<String> paramValues, String jobName, long index, String seed) {
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) {
      values.put(Placeholders.PARAMS + names.get(i), paramValues.get(i));
    }
    values.put("trial.index", Long.toString(index));
    values.put("trial.name", jobName);
    values.put("trial.seed", seed);
    values.put("trial.point", Long.toString(layout.point(index)));
    values.put("trial.repeat", Integer.toString(layout.repeat(index)));
    values.put("trial.repeats", Integer.toString(layout.repeats()));
    values.put("trial.fold", Integer.toString(layout.fold(index)));
    values.put("trial.folds", Integer.toString(layout.folds()));
    values.put("gridsearch.name", gridSearch.getMetadata().getName());
    return values;
  }

  /** The environment every container gets: the trial's placeholders, under these names. */
  private static final Map<String, String> ENV =
      orderedPairs(
          "GRIDSEARCH_NAME", "gridsearch.name",
          "GRIDSEARCH_TRIAL_INDEX", "trial.index",
          "GRIDSEARCH_TRIAL_SEED", "trial.seed",
          "GRIDSEARCH_TRIAL_POINT", "trial.point",
          "GRIDSEARCH_TRIAL_REPEAT", "trial.repeat",
          "GRIDSEARCH_TRIAL_REPEATS", "trial.repeats",
          "GRIDSEARCH_TRIAL_FOLD", "trial.fold",
          "GRIDSEARCH_TRIAL_FOLDS", "trial.folds");

  private static Map<String, String> orderedPairs(String... keysAndValues) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  private Job assemble(
      JobTemplateSpec rendered,
      String jobName,
      long index,
      Map<String, String> placeholders,
      Assignment assignment) {
    GridSearchSpec spec = gridSearch.getSpec();
    ObjectMeta source = rendered.getMetadata() == null ? new ObjectMeta() : rendered.getMetadata();
    Map<String, String> ownLabels = new LinkedHashMap<>();
    ownLabels.put(GridSearch.NAME_LABEL, gridSearch.getMetadata().getName());
    ownLabels.put(GridSearch.TRIAL_INDEX_LABEL, Long.toString(index));
    Map<String, String> labels = merged(source.getLabels(), ownLabels);
    if (spec.queueName() != null) {
      labels.put(KUEUE_QUEUE_LABEL, spec.queueName());
    }
    ObjectMeta meta = new ObjectMeta();
    meta.setName(jobName);
    meta.setNamespace(gridSearch.getMetadata().getNamespace());
    meta.setLabels(labels);
    meta.setAnnotations(source.getAnnotations());
    meta.setOwnerReferences(List.of(ownerReference(gridSearch)));

    JobSpec jobSpec = rendered.getSpec();
    jobSpec.setBackoffLimit(spec.trialRetries() == null ? 0 : spec.trialRetries());
    ignoreDisruptions(jobSpec);
    if (spec.queueName() != null) {
      jobSpec.setSuspend(true);
    }
    PodTemplateSpec pod = jobSpec.getTemplate();
    if (pod.getMetadata() == null) {
      pod.setMetadata(new ObjectMeta());
    }
    pod.getMetadata().setLabels(merged(pod.getMetadata().getLabels(), ownLabels));
    PodSpec podSpec = pod.getSpec();
    if (podSpec.getAutomountServiceAccountToken() == null) {
      podSpec.setAutomountServiceAccountToken(false);
    }
    Container primary = primaryContainer(podSpec, spec.trialTemplate().primaryContainer());
    if (primary.getTerminationMessagePolicy() == null) {
      primary.setTerminationMessagePolicy(FALLBACK_TO_LOGS);
    }
    List<EnvVar> env = new ArrayList<>();
    ENV.forEach((name, key) -> env.add(new EnvVar(name, placeholders.get(key), null)));
    env.add(new EnvVar("GRIDSEARCH_PARAMS", serialization.asJson(assignment.asMap()), null));
    podSpec.getInitContainers().forEach(c -> addEnv(c, env));
    podSpec.getContainers().forEach(c -> addEnv(c, env));

    Job job = new Job();
    job.setMetadata(meta);
    job.setSpec(jobSpec);
    return job;
  }

  /**
   * The owner reference every trial Job and results ConfigMap carries: deleting the search deletes
   * them.
   */
  public static OwnerReference ownerReference(HasMetadata owner) {
    return new OwnerReferenceBuilder()
        .withApiVersion(owner.getApiVersion())
        .withKind(owner.getKind())
        .withName(owner.getMetadata().getName())
        .withUid(owner.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  /**
   * Puts the rule "a pod with condition DisruptionTarget=True is replaced without counting" first
   * in the Job's podFailurePolicy, so evicted, preempted or node-lost pods use up neither
   * backoffLimit nor status.failed. Nothing is added when the pod's restartPolicy is not Never (the
   * API server allows podFailurePolicy only with Never), when the template's own policy already has
   * a DisruptionTarget rule (the user decided), or when it already has the API server's maximum of
   * rules. Ours goes first because the first matching rule wins and an evicted container also ends
   * with an exit code (143 or 137) that a user's onExitCodes rule may catch.
   */
  private static void ignoreDisruptions(JobSpec jobSpec) {
    PodSpec podSpec = jobSpec.getTemplate().getSpec();
    if (podSpec == null || !"Never".equals(podSpec.getRestartPolicy())) {
      return;
    }
    PodFailurePolicy policy = jobSpec.getPodFailurePolicy();
    List<PodFailurePolicyRule> theirs =
        policy == null || policy.getRules() == null ? List.of() : policy.getRules();
    if (theirs.stream().anyMatch(TrialRenderer::namesDisruption)
        || theirs.size() >= MAX_POD_FAILURE_RULES) {
      return;
    }
    List<PodFailurePolicyRule> rules = new ArrayList<>();
    rules.add(ignoreDisruptionRule());
    rules.addAll(theirs);
    jobSpec.setPodFailurePolicy(new PodFailurePolicy(rules));
  }

  /** {@code action: Ignore, onPodConditions: [{type: DisruptionTarget, status: "True"}]}. */
  public static PodFailurePolicyRule ignoreDisruptionRule() {
    PodFailurePolicyOnPodConditionsPattern disrupted = new PodFailurePolicyOnPodConditionsPattern();
    disrupted.setType(DISRUPTION_TARGET);
    disrupted.setStatus("True");
    PodFailurePolicyRule rule = new PodFailurePolicyRule();
    rule.setAction("Ignore");
    rule.setOnPodConditions(new ArrayList<>(List.of(disrupted)));
    return rule;
  }

  private static boolean namesDisruption(PodFailurePolicyRule rule) {
    return rule.getOnPodConditions() != null
        && rule.getOnPodConditions().stream().anyMatch(c -> DISRUPTION_TARGET.equals(c.getType()));
  }

  /** The container whose termination message carries the metrics: the named one, else the first. */
  public static Container primaryContainer(PodSpec podSpec, String primaryName) {
    return podSpec.getContainers().stream()
        .filter(c -> primaryName == null || primaryName.equals(c.getName()))
        .findFirst()
        .orElse(podSpec.getContainers().get(0));
  }

  private static Map<String, String> merged(Map<String, String> base, Map<String, String> ours) {
    Map<String, String> out = new LinkedHashMap<>(base == null ? Map.of() : base);
    out.putAll(ours);
    return out;
  }

  /** Adds the GRIDSEARCH_* variables a container does not define itself. */
  private static void addEnv(Container container, List<EnvVar> env) {
    List<EnvVar> own = new ArrayList<>(container.getEnv());
    Set<String> defined = new LinkedHashSet<>();
    own.forEach(e -> defined.add(e.getName()));
    env.stream().filter(e -> !defined.contains(e.getName())).forEach(own::add);
    container.setEnv(own);
  }

  /** Visits every string value of the tree, replacing it with what {@code edit} returns. */
  private static void walk(JsonNode node, String path, StringEdit edit) {
    if (node instanceof ObjectNode object) {
      List<String> fields = new ArrayList<>();
      object.fieldNames().forEachRemaining(fields::add);
      for (String field : fields) {
        String childPath = path + "." + field;
        JsonNode child = object.get(field);
        if (child.isTextual()) {
          object.set(field, TextNode.valueOf(edit.apply(childPath, child.asText())));
        } else {
          walk(child, childPath, edit);
        }
      }
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        String childPath = path + "[" + i + "]";
        JsonNode child = array.get(i);
        if (child.isTextual()) {
          array.set(i, TextNode.valueOf(edit.apply(childPath, child.asText())));
        } else {
          walk(child, childPath, edit);
        }
      }
    }
  }

  @FunctionalInterface
  private interface StringEdit {
    String apply(String path, String text);
  }
}
