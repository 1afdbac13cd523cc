package dev.gridsearch.operator.reconcile;

import dev.gridsearch.operator.api.GridSearch;
import dev.gridsearch.operator.trial.TrialRenderer;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The checks CEL cannot make, run before trial 0: unknown placeholders, and a server-side dry-run of trial 0's Job
 * so the API server itself judges the template. The template is immutable, so each search is checked once.
 */
final class Validation {
  private static final int MAX_ENTRIES = 10_000;

  private final KubernetesClient client;
  private final Map<String, Optional<String>> byUid = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Optional<String>> eldest) {
      return size() > MAX_ENTRIES;
    }
  };

  Validation(KubernetesClient client) {
    this.client = client;
  }

  Optional<String> check(GridSearch search, TrialRenderer renderer) {
    String uid = search.getMetadata().getUid();
    synchronized (byUid) {
      Optional<String> known = byUid.get(uid);
      if (known != null) {
        return known;
      }
    }
    Optional<String> result = placeholders(renderer).or(() -> dryRun(search, renderer));
    synchronized (byUid) {
      byUid.put(uid, result);
    }
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
      return Optional.of("spec.trialTemplate: trial 0's Job cannot be read as a batch/v1 Job: " + e.getMessage());
    }
    // The API server refuses a bad quantity while decoding, naming neither the field nor the value: name them here.
    Optional<String> quantities = quantities(job.getSpec().getTemplate().getSpec());
    if (quantities.isPresent()) {
      return quantities;
    }
    try {
      client.batch().v1().jobs().inNamespace(search.getMetadata().getNamespace()).resource(job).dryRun().create();
      return Optional.empty();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 400 || e.getCode() == 422) {
        String message = e.getStatus() != null && e.getStatus().getMessage() != null
            ? e.getStatus().getMessage() : e.getMessage();
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
        Map<String, Quantity> amounts = kind.equals("requests") ? resources.getRequests() : resources.getLimits();
        if (amounts == null) {
          continue;
        }
        for (var e : amounts.entrySet()) {
          try {
            Quantity.getAmountInBytes(e.getValue());
          } catch (IllegalArgumentException | ArithmeticException ex) {
            bad.add("spec.trialTemplate.spec.template.spec." + list + "[" + i + "].resources." + kind + "." + e.getKey()
                + ": \"" + e.getValue() + "\" (in trial 0) is not a Kubernetes quantity such as 500m, 2 or 4Gi");
          }
        }
      }
    }
  }
}
