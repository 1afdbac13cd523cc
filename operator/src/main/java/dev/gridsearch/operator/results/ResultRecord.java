package dev.gridsearch.operator.results;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.gridsearch.operator.trial.TrialState;
import java.util.Map;

/**
 * The durable record of one finished trial, as stored in a results ConfigMap. {@code value} is the objective when
 * the trial succeeded; {@code reason}/{@code message} say why it did not.
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
    String finishTime) {

  /** The reason of a trial whose record went with a deleted results ConfigMap and whose Job was gone too. */
  public static final String RECORD_LOST = "RecordLost";
  /** A trial whose pods were disrupted too often: the operator failed it and deleted its Job. */
  public static final String TOO_MANY_DISRUPTIONS = "TooManyDisruptions";

  /** Messages are kept short so a shard holds many records; the pod's message is at most 4 KiB anyway. */
  public static final int MAX_MESSAGE_CHARS = 1024;

  /** The trial's wall time in seconds, 0 when a time is missing; it spends budget whatever the outcome. */
  public static double seconds(ResultRecord r) {
    if (r.startTime() == null || r.finishTime() == null) {
      return 0;
    }
    try {
      return Math.max(0, java.time.Duration.between(java.time.Instant.parse(r.startTime()),
          java.time.Instant.parse(r.finishTime())).toMillis() / 1000.0);
    } catch (java.time.format.DateTimeParseException e) {
      return 0;
    }
  }

  public ResultRecord {
    if (message != null && message.length() > MAX_MESSAGE_CHARS) {
      message = message.substring(0, MAX_MESSAGE_CHARS) + "…";
    }
  }
}
