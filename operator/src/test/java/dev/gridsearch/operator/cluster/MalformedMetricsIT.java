package dev.gridsearch.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridsearch.operator.api.GridSearch;
import dev.gridsearch.operator.api.GridSearchStatus.Phase;
import dev.gridsearch.operator.results.ResultRecord;
import dev.gridsearch.operator.trial.MetricParser;
import dev.gridsearch.operator.trial.MetricResult;
import dev.gridsearch.operator.trial.TrialState;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Malformed termination messages end to end: kwok writes each trial's message (its last 4096 bytes,
 * as the kubelet keeps it), the operator parses it, and the trial ends MetricsMissing with the
 * parser's reason and message in its result record, while valid neighbours in the same search
 * succeed. The operator stays up throughout.
 */
@ExtendWith(ClusterExtension.class)
class MalformedMetricsIT {
  private static final String VALID = null;
  private final ClusterNamespace ns;

  MalformedMetricsIT(ClusterNamespace ns) {
    this.ns = ns;
  }

  /**
   * A search of one parameter {@code v}; each trial's message is {@code template} with its value
   * substituted.
   */
  record Sweep(String name, String template, Map<String, String> expectedKind) {
    String yaml() {
      String values =
          String.join(", ", expectedKind.keySet().stream().map(v -> "'" + v + "'").toList());
      return """
          apiVersion: gridsearch.dev/v1alpha1
          kind: GridSearch
          metadata: {name: %s}
          spec:
            parameters: [{name: v, values: [%s]}]
            objective: {metric: acc, goal: Maximize}
            parallelism: 10
            trialTemplate:
              spec:
                template:
                  metadata:
                    annotations:
                      sim.gridsearch.dev/duration: 500ms
                      sim.gridsearch.dev/message: %s
                  spec:
                    containers: [{name: train, image: busybox:1.36}]
          """
          .formatted(name, values, yamlString(template));
    }

    /** What the trial writes, as the kubelet keeps it: its last 4096 bytes at most. */
    String message(String value) {
      byte[] bytes = template.replace("${params.v}", value).getBytes(StandardCharsets.UTF_8);
      return new String(
          Arrays.copyOfRange(
              bytes, Math.max(0, bytes.length - MetricParser.MAX_BYTES), bytes.length),
          StandardCharsets.UTF_8);
    }
  }

  /** A YAML double-quoted scalar: JSON string escaping is valid YAML. */
  static String yamlString(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> out.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
      }
    }
    return out.append('"').toString();
  }

  static Map<String, String> cases(String... valueThenKind) {
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < valueThenKind.length; i += 2) {
      out.put(valueThenKind[i], valueThenKind[i + 1]);
    }
    return out;
  }

  /**
   * One trial, one literal message: for text that a parameter value (no quotes, braces, spaces)
   * cannot carry.
   */
  static Sweep literal(String name, String message, String kind) {
    return new Sweep(name, message + "${params.v}".substring(0, 0), cases("x", kind));
  }

  static final List<Sweep> SWEEPS =
      List.of(
          new Sweep(
              "kv",
              "${params.v}",
              cases(
                  "acc=0.5", VALID,
                  "acc=0.7", VALID,
                  "acc=NaN", "NON_FINITE",
                  "acc=inf", "NON_FINITE",
                  "acc=-inf", "NON_FINITE",
                  "acc=Infinity", "NON_FINITE",
                  "acc=1e999", "NON_FINITE",
                  "acc=true", "NOT_A_NUMBER",
                  "acc=null", "NOT_A_NUMBER",
                  "acc=0x1F", "NOT_A_NUMBER",
                  "acc=", "NOT_A_NUMBER",
                  "loss=0.1", "MISSING_OBJECTIVE",
                  "1acc=0.5", "INVALID_NAME",
                  "@@@", "MALFORMED",
                  "acc:0.5", "MALFORMED",
                  "=0.5", "MALFORMED")),
          new Sweep(
              "json",
              "{\"acc\": ${params.v}, \"loss\": 1}",
              cases(
                  "0.25", VALID,
                  "NaN", "NON_FINITE",
                  "Infinity", "NON_FINITE",
                  "-Infinity", "NON_FINITE",
                  "1e999", "NON_FINITE",
                  "true", "NOT_A_NUMBER",
                  "null", "NOT_A_NUMBER",
                  "01", "MALFORMED")),
          new Sweep(
              "json-keys",
              "{\"acc\": 0.5, \"${params.v}\": 1}",
              cases(
                  "loss", VALID,
                  "acc", "DUPLICATE_KEY",
                  "1bad", "INVALID_NAME",
                  "a@b", "INVALID_NAME")),
          // 40 copies of the value: 1 digit stays short, 128 digits overflow 4096 bytes and the
          // kubelet keeps the tail: the JSON loses its start, mid-number.
          new Sweep(
              "truncated",
              "{\"acc\": 0.5, \"loss\": 0." + "${params.v}".repeat(40) + "}",
              cases("1", VALID, "1".repeat(128), "MALFORMED")),
          literal("nested-object", "{\"acc\": {\"value\": 0.9}}", "NOT_A_NUMBER"),
          literal("array", "{\"acc\": [0.9]}", "NOT_A_NUMBER"),
          literal("string", "{\"acc\": \"0.9\"}", "NOT_A_NUMBER"),
          literal("cut-json", "{\"acc\": 0.9, \"loss\":", "MALFORMED"),
          literal("trailing-text", "{\"acc\": 0.9} and more", "MALFORMED"),
          literal("garbage", "\u00ff\u00fePK\u00a7\u00b5~~<<??>>\t\u00e9", "MALFORMED"),
          literal("whitespace", "   \n\t  \n ", "EMPTY"),
          literal("comment-only", "# acc=0.9", "MISSING_OBJECTIVE"),
          literal("kv-duplicate", "acc=0.9\r\nacc=0.8", "DUPLICATE_KEY"));

  @Test
  void everyMalformedMessageEndsMetricsMissingWithTheParsersReason() throws Exception {
    Searches searches = new Searches(ns);
    try (OperatorProcess operator = new OperatorProcess(ns).start()) {
      SWEEPS.forEach(s -> searches.apply(s.yaml()));
      int malformed = 0;
      int valid = 0;
      List<String> problems = new ArrayList<>();
      for (Sweep sweep : SWEEPS) {
        GridSearch done = searches.awaitFinished(sweep.name(), Duration.ofMinutes(2));
        // A search of malformed messages only has no succeeded trial: it ends Failed,
        // NoTrialSucceeded.
        boolean anyValid = sweep.expectedKind().containsValue(VALID);
        assertThat(done.getStatus().phase())
            .as(sweep.name())
            .isEqualTo(anyValid ? Phase.Succeeded : Phase.Failed);
        if (!anyValid) {
          assertThat(searches.condition(done, "Failed"))
              .as(sweep.name())
              .startsWith("True/NoTrialSucceeded");
        }
        Map<Long, ResultRecord> records = searches.records(sweep.name());
        assertThat(records).as("%s records", sweep.name()).hasSize(sweep.expectedKind().size());
        long index = 0;
        for (Map.Entry<String, String> c : sweep.expectedKind().entrySet()) {
          ResultRecord r = records.get(index++);
          String message = sweep.message(c.getKey());
          MetricResult parsed = MetricParser.parse(message, "acc");
          String what =
              sweep.name() + " v=" + c.getKey() + " message " + yamlString(message) + " -> " + r;
          if (c.getValue() == VALID) {
            valid++;
            if (r.state() != TrialState.Succeeded
                || !(parsed instanceof MetricResult.Parsed p)
                || !r.value().equals(p.objective())) {
              problems.add("expected Succeeded: " + what);
            }
            continue;
          }
          malformed++;
          // The expected kind is this test's reading of API.md; the message must be the parser's
          // own.
          if (!(parsed instanceof MetricResult.Refused refused)
              || !refused.kind().name().equals(c.getValue())) {
            problems.add(
                "the parser does not refuse it as " + c.getValue() + " (" + parsed + "): " + what);
          } else if (r.state() != TrialState.MetricsMissing
              || !c.getValue().equals(r.reason())
              || !refused.message().equals(r.message())) {
            problems.add(
                "expected MetricsMissing/"
                    + c.getValue()
                    + " \""
                    + refused.message()
                    + "\": "
                    + what);
          }
        }
        assertThat(
                done.getStatus().trials().metricsMissing() + done.getStatus().trials().succeeded())
            .as(sweep.name())
            .isEqualTo(sweep.expectedKind().size());
      }
      assertThat(problems).as("trials whose outcome is wrong").isEmpty();
      assertThat(operator.isAlive()).as("operator alive").isTrue();
      assertThat(operator.starts()).isEqualTo(1);
      System.out.printf(
          "[MalformedMetricsIT] %d malformed messages, %d valid neighbours%n", malformed, valid);
      assertThat(malformed).isGreaterThanOrEqualTo(15);
    }
  }
}
