package dev.gridsearch.operator.reconcile;

import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Deletes a Job by name only while the name still holds the Job we saw: a UID precondition, which
 * Fabric8's delete cannot send (it sends a resourceVersion only, which every status change would
 * fail). A same-named Job created in between, someone else's, is refused with 409 and stays.
 */
public final class JobDeletion {
  private JobDeletion() {}

  /** What the API server did with the request. */
  public enum Outcome {
    DELETED,
    GONE,
    NOT_OURS
  }

  /** Deletes Job {@code name} in the background (its pods follow) if its UID is {@code uid}. */
  public static Outcome delete(KubernetesClient client, String ns, String name, String uid) {
    DeleteOptions options =
        new DeleteOptionsBuilder()
            .withApiVersion("v1")
            .withKind("DeleteOptions")
            .withPropagationPolicy("Background")
            .withNewPreconditions()
            .withUid(uid)
            .endPreconditions()
            .build();
    try {
      client.raw("/apis/batch/v1/namespaces/" + ns + "/jobs/" + name, "DELETE", options);
      return Outcome.DELETED;
    } catch (KubernetesClientException e) {
      return switch (e.getCode()) {
        case 404 -> Outcome.GONE;
        case 409 -> Outcome.NOT_OURS;
        default -> throw e;
      };
    }
  }
}
