package dev.gridsearch.operator.results;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.gridsearch.operator.trial.TrialState;
import java.util.Map;

/**
 * The durable record of one finished trial, as stored in a results ConfigMap. {@code value} is the
 * objective when the trial succeeded; {@code reason}/{@code message} say why it did not. {@code
 * point}, {@code repeat} and {@code fold} place it in its point (absent in records written before
 * repeats and folds: then the trial is its point).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ResultRecord(
    long trial,
    String job,
    TrialState state,
    Map<String, String> parameters,
    Double value,
    Map<String, Double> metrics,
    String reason,
    String message,
    String startTime,
    String finishTime,
    Long point,
    Integer repeat,
    Integer fold) {

  /**
   * The reason of a trial whose record went with a deleted results ConfigMap and whose Job was gone
   * too.
   */
  public static final String RECORD_LOST = "RecordLost";

  /** A trial whose pods were disrupted too often: the operator failed it and deleted its Job. */
  public static final String TOO_MANY_DISRUPTIONS = "TooManyDisruptions";

  /**
   * Messages are kept short so a shard holds many records; the pod's message is at most 4 KiB
   * anyway.
   */
  public static final int MAX_MESSAGE_CHARS = 1024;

  /**
   * The trial's wall time in seconds, 0 when a time is missing; it spends budget whatever the
   * outcome.
   */
  public static double seconds(ResultRecord r) {
    if (r.startTime() == null || r.finishTime() == null) {
      return 0;
    }
    try {
      return Math.max(
          0,
          java.time.Duration.between(
                      java.time.Instant.parse(r.startTime()),
                      java.time.Instant.parse(r.finishTime()))
                  .toMillis()
              / 1000.0);
    } catch (java.time.format.DateTimeParseException e) {
      return 0;
    }
  }

  /**
   * A failed trial's message is usually its log tail (FallbackToLogsOnError), and results
   * ConfigMaps are readable by more people, for longer, than the pod: keep only its end, where the
   * error is.
   */
  public static final int MAX_LOG_TAIL_LINES = 10;

  public static final int MAX_LOG_TAIL_CHARS = 512;

  /** A record as written before repeats and folds: the trial is its own point. */
  public ResultRecord(
      long trial,
      String job,
      TrialState state,
      Map<String, String> parameters,
      Double value,
      Map<String, Double> metrics,
      String reason,
      String message,
      String startTime,
      String finishTime) {
    this(
        trial,
        job,
        state,
        parameters,
        value,
        metrics,
        reason,
        message,
        startTime,
        finishTime,
        null,
        null,
        null);
  }

  /** The trial's point; a record without one predates repeats and folds, when trial = point. */
  public long pointOrTrial() {
    return point == null ? trial : point;
  }

  public ResultRecord {
    if (message != null && state == TrialState.Failed) {
      message = tail(message);
    } else if (message != null && message.length() > MAX_MESSAGE_CHARS) {
      message = message.substring(0, MAX_MESSAGE_CHARS) + "…";
    }
  }

  /**
   * The last lines and characters of a message; idempotent, since records are decoded and encoded
   * again.
   */
  static String tail(String message) {
    String[] lines = message.split("\n", -1);
    if (lines.length <= MAX_LOG_TAIL_LINES && message.length() <= MAX_LOG_TAIL_CHARS) {
      return message;
    }
    String kept =
        String.join(
            "\n",
            java.util.Arrays.copyOfRange(
                lines, Math.max(0, lines.length - MAX_LOG_TAIL_LINES), lines.length));
    if (kept.length() > MAX_LOG_TAIL_CHARS - 1) {
      kept = kept.substring(kept.length() - (MAX_LOG_TAIL_CHARS - 1));
    }
    return "…" + kept;
  }
}
