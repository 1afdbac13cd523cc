package dev.gridsearch.operator.plan;

import java.util.Optional;

/**
 * What the reconciler actually did of a plan's launches: how many were created, in index order, and
 * the object of someone else's that stopped them, if one did. The status is assembled from it.
 */
public record Done(int created, Optional<String> nameConflict) {
  public static Done all(Plan plan) {
    return new Done(plan.launch().size(), Optional.empty());
  }
}
