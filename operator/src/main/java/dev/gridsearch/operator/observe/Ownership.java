package dev.gridsearch.operator.observe;

import dev.gridsearch.operator.api.GridSearch;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.List;

/**
 * Whose an object is, by its ownerReferences and this GridSearch's UID: only objects that are ours
 * are ever adopted, patched or deleted. A same-named object of someone else's is a conflict, never
 * ours to take.
 */
public enum Ownership {
  /** Owned by this very GridSearch (its UID). */
  OURS,
  /**
   * Owned by an earlier GridSearch of the same name, since deleted: the garbage collector is
   * removing it.
   */
  PREDECESSORS,
  /** Anyone else's: another controller's, a user's, or an orphan. */
  FOREIGN;

  public static Ownership of(HasMetadata object, GridSearch search) {
    List<OwnerReference> owners = object.getMetadata().getOwnerReferences();
    if (owners == null) {
      return FOREIGN;
    }
    String uid = search.getMetadata().getUid();
    if (owners.stream().anyMatch(o -> uid != null && uid.equals(o.getUid()))) {
      return OURS;
    }
    // The same name in the same namespace can only be an earlier incarnation of this search.
    boolean predecessor =
        owners.stream()
            .anyMatch(
                o ->
                    "GridSearch".equals(o.getKind())
                        && o.getApiVersion() != null
                        && o.getApiVersion().startsWith(GridSearch.GROUP + "/")
                        && search.getMetadata().getName().equals(o.getName()));
    return predecessor ? PREDECESSORS : FOREIGN;
  }

  public static boolean ours(HasMetadata object, GridSearch search) {
    return of(object, search) == OURS;
  }

  /**
   * {@code existing}, when it is ours; otherwise the conflict (or the wait for a predecessor's
   * object) it is.
   */
  public static <T extends HasMetadata> T requireOurs(T existing, GridSearch search) {
    switch (of(existing, search)) {
      case OURS:
        return existing;
      case PREDECESSORS:
        throw new PredecessorsObject(existing);
      default:
        throw new NameConflict(existing);
    }
  }

  /** How a status message names an object that is in the way. */
  public static String describe(HasMetadata object) {
    List<OwnerReference> owners = object.getMetadata().getOwnerReferences();
    String owner =
        owners == null || owners.isEmpty()
            ? "no owner"
            : "owned by "
                + owners.get(0).getKind()
                + " "
                + owners.get(0).getName()
                + " (uid "
                + owners.get(0).getUid()
                + ")";
    return object.getKind()
        + " "
        + object.getMetadata().getNamespace()
        + "/"
        + object.getMetadata().getName()
        + " exists and is not this GridSearch's ("
        + owner
        + ")";
  }
}
