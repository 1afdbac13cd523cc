package dev.gridsearch.operator.api;

/**
 * The condition types and reasons a GridSearch status uses: one place, so docs, tests and tools
 * agree.
 */
public final class GridSearchConditions {
  public static final String READY = "Ready";
  public static final String COMPLETE = "Complete";
  public static final String FAILED = "Failed";
  public static final String SUSPENDED = "Suspended";
  public static final String QUOTA_LIMITED = "QuotaLimited";
  public static final String RECORDS_LOST = "RecordsLost";

  private GridSearchConditions() {}

  /** Reasons, on the conditions above. */
  public static final class Reason {
    public static final String PENDING = "Pending";
    public static final String RUNNING = "Running";
    public static final String SUSPENDED = "Suspended";
    public static final String INVALID = "Invalid";
    public static final String GRID_EXHAUSTED = "GridExhausted";
    public static final String GOAL_REACHED = "GoalReached";
    public static final String BUDGET_EXHAUSTED = "BudgetExhausted";
    public static final String TOO_MANY_FAILED_TRIALS = "TooManyFailedTrials";

    /** The search ended without a single succeeded trial: there is no best to report. */
    public static final String NO_TRIAL_SUCCEEDED = "NoTrialSucceeded";

    /** Trials succeeded, but every finished point failed a trial or broke a constraint. */
    public static final String NO_POINT_RANKED = "NoPointRanked";

    /** An object the search needs to create exists and belongs to someone else. */
    public static final String NAME_CONFLICT = "NameConflict";

    public static final String EXCEEDED_QUOTA = "ExceededQuota";
    public static final String RESULTS_CONFIGMAP_DELETED = "ResultsConfigMapDeleted";

    /** A reconcile failed on an API error (see the message); it is retried. */
    public static final String API_ERROR = "ApiError";

    public static final String FORBIDDEN = "Forbidden";

    private Reason() {}
  }
}
