package dev.gridsearch.operator.observe;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * An object the search must create exists and is someone else's: the search ends, nothing of theirs
 * is touched.
 */
public final class NameConflict extends RuntimeException {
  public NameConflict(HasMetadata existing) {
    super(Ownership.describe(existing));
  }
}
