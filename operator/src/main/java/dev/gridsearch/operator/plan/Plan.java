package dev.gridsearch.operator.plan;

import dev.gridsearch.operator.api.GridSearchStatus;
import dev.gridsearch.operator.results.PointRecord;
import dev.gridsearch.operator.results.ResultRecord;
import dev.gridsearch.operator.results.ResultShards.ShardWrite;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * What to do: persist the records (trials', and the points they complete), then delete the Jobs
 * (only those whose records are already stored, or just written); suspend/resume Jobs and create
 * the new trials meanwhile; then write the status, assembled from what was done ({@link
 * #status(Done)}).
 *
 * @param wakeAfter when the next reconcile must happen even without events (a budget deadline), if
 *     ever
 */
public record Plan(
    List<ResultRecord> record,
    List<PointRecord> points,
    List<ShardWrite> writes,
    List<String> delete,
    List<String> suspend,
    List<String> resume,
    List<Long> launch,
    Optional<Duration> wakeAfter,
    Function<Done, GridSearchStatus> assembly) {

  /** The status once every planned launch was made. */
  public GridSearchStatus status() {
    return assembly.apply(Done.all(this));
  }

  /** The status after what was actually done. */
  public GridSearchStatus status(Done done) {
    return assembly.apply(done);
  }
}
