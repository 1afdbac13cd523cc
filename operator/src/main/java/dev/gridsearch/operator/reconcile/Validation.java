package dev.gridsearch.operator.reconcile;

import dev.gridsearch.operator.api.GridSearch;
import dev.gridsearch.operator.observe.NameConflict;
import dev.gridsearch.operator.observe.Ownership;
import dev.gridsearch.operator.observe.PredecessorsObject;
import dev.gridsearch.operator.results.ResultShards;
import dev.gridsearch.operator.trial.TrialRenderer;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The checks CEL cannot make, run before trial 0: unknown placeholders, and a server-side dry-run
 * of trial 0's Job so the API server itself judges the template. The template is immutable, so each
 * search is checked once (the result is kept in its {@link SearchMemory}).
 */
final class Validation {
  private final KubernetesClient client;

  Validation(KubernetesClient client) {
    this.client = client;
  }

  /**
   * Why the search cannot run, if it cannot. A same-named Job of someone else's surfaces here as a
   * {@link NameConflict}, a predecessor's as {@link PredecessorsObject}; neither is kept.
   */
  Optional<String> check(GridSearch search, SearchMemory memory, TrialRenderer renderer) {
    if (memory.validation != null) {
      return memory.validation;
    }
    Optional<String> result = placeholders(renderer).or(() -> dryRun(search, renderer));
    memory.validation = result;
    return result;
  }

  private static Optional<String> placeholders(TrialRenderer renderer) {
    List<String> errors = renderer.placeholderErrors();
    return errors.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", errors));
  }

  private Optional<String> dryRun(GridSearch search, TrialRenderer renderer) {
    Job job;
    try {
      job = renderer.render(0);
    } catch (IllegalArgumentException e) {
      return Optional.of(
          "spec.trialTemplate: trial 0's Job cannot be read as a batch/v1 Job: " + e.getMessage());
    }
    // The API server refuses a bad quantity while decoding, naming neither the field nor the value:
    // name them here.
    Optional<String> quantities = quantities(job.getSpec().getTemplate().getSpec());
    if (quantities.isPresent()) {
      return quantities;
    }
    var jobs = client.batch().v1().jobs().inNamespace(search.getMetadata().getNamespace());
    // The first results shard's name too must be free (or ours): records must never land in someone
    // else's.
    Optional.ofNullable(
            client
                .configMaps()
                .inNamespace(search.getMetadata().getNamespace())
                .withName(ResultShards.shardName(search.getMetadata().getName(), 0))
                .get())
        .ifPresent(cm -> Ownership.requireOurs(cm, search));
    try {
      jobs.resource(job).dryRun().create();
      return Optional.empty();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        Job existing = jobs.withName(job.getMetadata().getName()).get();
        if (existing != null) {
          // Ours: trial 0 was created already, so the API server took the template; anyone else's
          // throws.
          Ownership.requireOurs(existing, search);
          return Optional.empty();
        }
      }
      if (e.getCode() == 400 || e.getCode() == 422) {
        String message =
            e.getStatus() != null && e.getStatus().getMessage() != null
                ? e.getStatus().getMessage()
                : e.getMessage();
        return Optional.of("spec.trialTemplate: the API server refuses trial 0's Job: " + message);
      }
      throw e;
    }
  }

  static Optional<String> quantities(PodSpec pod) {
    List<String> bad = new ArrayList<>();
    check("containers", pod.getContainers(), bad);
    check("initContainers", pod.getInitContainers(), bad);
    return bad.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", bad));
  }

  private static void check(String list, List<Container> containers, List<String> bad) {
    for (int i = 0; containers != null && i < containers.size(); i++) {
      var resources = containers.get(i).getResources();
      if (resources == null) {
        continue;
      }
      for (var kind : new String[] {"requests", "limits"}) {
        Map<String, Quantity> amounts =
            kind.equals("requests") ? resources.getRequests() : resources.getLimits();
        if (amounts == null) {
          continue;
        }
        for (var e : amounts.entrySet()) {
          try {
            Quantity.getAmountInBytes(e.getValue());
          } catch (IllegalArgumentException | ArithmeticException ex) {
            bad.add(
                "spec.trialTemplate.spec.template.spec."
                    + list
                    + "["
                    + i
                    + "].resources."
                    + kind
                    + "."
                    + e.getKey()
                    + ": \""
                    + e.getValue()
                    + "\" (in trial 0) is not a Kubernetes quantity such as 500m, 2 or 4Gi");
          }
        }
      }
    }
  }
}
