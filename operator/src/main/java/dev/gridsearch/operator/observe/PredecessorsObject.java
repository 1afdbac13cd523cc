package dev.gridsearch.operator.observe;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * An earlier GridSearch of this name still has an object here; its garbage collection frees the
 * name soon.
 */
public final class PredecessorsObject extends RuntimeException {
  public PredecessorsObject(HasMetadata existing) {
    super(
        existing.getKind()
            + " "
            + existing.getMetadata().getName()
            + " still belongs to a deleted GridSearch of"
            + " the same name; waiting for the garbage collector to remove it");
  }
}
