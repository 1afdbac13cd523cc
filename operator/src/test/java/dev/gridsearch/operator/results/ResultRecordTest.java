package dev.gridsearch.operator.results;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridsearch.operator.trial.TrialState;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * What of a trial's message reaches the results ConfigMap: a failed trial's log tail is cut to its
 * end.
 */
class ResultRecordTest {
  private final ResultCodec codec = new ResultCodec();

  private static ResultRecord record(TrialState state, String message) {
    return new ResultRecord(
        3,
        "s-3",
        state,
        Map.of("lr", "0.1"),
        null,
        null,
        "Error",
        message,
        "2026-12-01T10:00:00Z",
        "2026-12-01T10:01:00Z");
  }

  @Test
  void aFailedTrialsLogTailKeepsOnlyItsLastLines() {
    // What FallbackToLogsOnError copies: up to 80 lines / 2 KiB of log, a secret printed early on.
    String log =
        "connecting with DB_PASSWORD=hunter2\n"
            + IntStream.range(0, 60).mapToObj(i -> "epoch " + i).collect(Collectors.joining("\n"))
            + "\nRuntimeError: CUDA out of memory";
    String kept = record(TrialState.Failed, log).message();
    assertThat(kept)
        .startsWith("…")
        .endsWith("RuntimeError: CUDA out of memory")
        .doesNotContain("hunter2");
    assertThat(kept.lines()).hasSize(ResultRecord.MAX_LOG_TAIL_LINES);
    assertThat(kept.length()).isLessThanOrEqualTo(ResultRecord.MAX_LOG_TAIL_CHARS);
  }

  @Test
  void aLongSingleLineIsCutToItsEnd() {
    String kept = record(TrialState.Failed, "x".repeat(4000) + "the end").message();
    assertThat(kept).hasSize(ResultRecord.MAX_LOG_TAIL_CHARS).startsWith("…").endsWith("the end");
  }

  @Test
  void theCutIsStableThroughTheResultsConfigMap() {
    ResultRecord once = record(TrialState.Failed, "line\n".repeat(100) + "y".repeat(700));
    ResultRecord again = codec.decode(codec.encode(once)).orElseThrow();
    assertThat(again.message()).isEqualTo(once.message());
    String exact = "a\n".repeat(9) + "b".repeat(100);
    assertThat(record(TrialState.Failed, exact).message()).isEqualTo(exact);
  }

  @Test
  void otherMessagesKeepTheirBeginning() {
    String parse = "expected the objective acc; got: " + "z".repeat(2000);
    ResultRecord r = record(TrialState.MetricsMissing, parse);
    assertThat(r.message())
        .startsWith("expected the objective acc")
        .hasSize(ResultRecord.MAX_MESSAGE_CHARS + 1);
  }
}
