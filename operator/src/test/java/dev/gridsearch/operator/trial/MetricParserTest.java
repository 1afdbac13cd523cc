package dev.gridsearch.operator.trial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.gridsearch.operator.trial.MetricResult.Parsed;
import dev.gridsearch.operator.trial.MetricResult.Refused;
import dev.gridsearch.operator.trial.MetricResult.Refused.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MetricParserTest {

  private static Parsed parsed(String message, String objective) {
    MetricResult result = MetricParser.parse(message, objective);
    assertThat(result).isInstanceOf(Parsed.class);
    return (Parsed) result;
  }

  private static Refused refused(String message, String objective) {
    MetricResult result = MetricParser.parse(message, objective);
    assertThat(result).isInstanceOf(Refused.class);
    return (Refused) result;
  }

  // Accepted

  @Test
  void acceptsJsonObject() {
    Parsed p = parsed("{\"val_accuracy\": 0.934, \"loss\": 0.21}", "val_accuracy");
    assertThat(p.objective()).isEqualTo(0.934);
    assertThat(p.metrics()).containsExactly(entry("val_accuracy", 0.934), entry("loss", 0.21));
  }

  @Test
  void acceptsLines() {
    Parsed p = parsed("val_accuracy=0.934\nloss=0.21\n", "loss");
    assertThat(p.objective()).isEqualTo(0.21);
    assertThat(p.metrics()).containsExactly(entry("val_accuracy", 0.934), entry("loss", 0.21));
  }

  @Test
  void acceptsIntegersExponentsAndNegatives() {
    Parsed json = parsed("{\"epochs\":12,\"lr\":1e-3,\"delta\":-2.5E+2,\"z\":-0}", "lr");
    assertThat(json.metrics())
        .containsExactly(entry("epochs", 12.0), entry("lr", 0.001), entry("delta", -250.0),
            entry("z", -0.0));
    Parsed lines = parsed("epochs=12\nlr=1e-3\ndelta=-2.5E+2\nhalf=.5\nplus=+3", "lr");
    assertThat(lines.metrics())
        .containsExactly(entry("epochs", 12.0), entry("lr", 0.001), entry("delta", -250.0),
            entry("half", 0.5), entry("plus", 3.0));
  }

  @Test
  void acceptsWhitespaceCrlfBlankAndCommentLines() {
    Parsed p = parsed("\r\n  # from train.py\r\n acc = 0.9 \r\n\r\n\tloss\t=\t0.3\r\n", "acc");
    assertThat(p.metrics()).containsExactly(entry("acc", 0.9), entry("loss", 0.3));
    Parsed json = parsed("\n {\n\t\"acc\" : 0.9 ,\r\n \"loss\":0.3 }\n", "acc");
    assertThat(json.metrics()).containsExactly(entry("acc", 0.9), entry("loss", 0.3));
  }

  @Test
  void acceptsNamesWithPunctuationAndEscapedJsonKeys() {
    Parsed p = parsed("{\"eval/top-1:acc.v2\": 0.5, \"_\\u0061\": 1}", "eval/top-1:acc.v2");
    assertThat(p.metrics()).containsOnlyKeys("eval/top-1:acc.v2", "_a");
  }

  @Test
  void acceptsExactlyTheByteLimit() {
    String message = "acc=0.5\n" + "#".repeat(MetricParser.MAX_BYTES - 8);
    assertThat(parsed(message, "acc").objective()).isEqualTo(0.5);
  }

  @Test
  void parsedMetricsAreUnmodifiable() {
    Parsed p = parsed("acc=1", "acc");
    assertThatThrownBy(() -> p.metrics().put("x", 1.0))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  // Refused

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "\n\r\n\t"})
  void refusesEmpty(String message) {
    assertThat(refused(message, "acc").kind()).isEqualTo(Kind.EMPTY);
    assertThat(refused(null, "acc").kind()).isEqualTo(Kind.EMPTY);
  }

  @Test
  void refusesOverTheByteLimitCountingUtf8() {
    Refused r = refused("acc=0.5\n#" + "é".repeat(2496), "acc");
    assertThat(r.kind()).isEqualTo(Kind.TOO_LARGE);
    assertThat(r.message()).isEqualTo("message is 5001 bytes, over the 4096-byte limit");
  }

  @Test
  void refusesNaN() {
    Refused json = refused("{\"acc\": 0.9, \"loss\": NaN}", "acc");
    assertThat(json.kind()).isEqualTo(Kind.NON_FINITE);
    assertThat(json.message()).isEqualTo("metric \"loss\": value \"NaN\" is not a finite number");
    Refused line = refused("acc=0.9\nloss=nan", "acc");
    assertThat(line.kind()).isEqualTo(Kind.NON_FINITE);
    assertThat(line.message())
        .isEqualTo("line 2: metric \"loss\": value \"nan\" is not a finite number");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Infinity", "-Infinity", "1e999", "-1e999"})
  void refusesInfinityInJson(String value) {
    Refused r = refused("{\"acc\": " + value + "}", "acc");
    assertThat(r.kind()).isEqualTo(Kind.NON_FINITE);
    assertThat(r.message())
        .isEqualTo("metric \"acc\": value \"" + value + "\" is not a finite number");
  }

  @ParameterizedTest
  @ValueSource(strings = {"inf", "-inf", "+Inf", "Infinity", "-INFINITY", "1e999", "NaN"})
  void refusesInfinityInLines(String value) {
    assertThat(refused("acc=" + value, "acc").kind()).isEqualTo(Kind.NON_FINITE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"0.9\"", "true", "false", "null", "{\"a\": 1}", "[0.9]", "abc"})
  void refusesJsonValuesThatAreNotNumbers(String value) {
    Refused r = refused("{\"acc\": " + value + "}", "acc");
    assertThat(r.kind()).isEqualTo(Kind.NOT_A_NUMBER);
    assertThat(r.message()).startsWith("metric \"acc\": ").contains("not a number");
  }

  @Test
  void stringValueMessageShowsTheString() {
    assertThat(refused("{\"acc\": \"0.9\"}", "acc").message())
        .isEqualTo("metric \"acc\": value \"0.9\" is a string, not a number");
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "0.9%", "1,5", "0x10", "1d", "", "true"})
  void refusesLineValuesThatAreNotNumbers(String value) {
    Refused r = refused("acc=" + value, "acc");
    assertThat(r.kind()).isEqualTo(Kind.NOT_A_NUMBER);
    assertThat(r.message())
        .isEqualTo("line 1: metric \"acc\": value \"" + value + "\" is not a number");
  }

  @Test
  void refusesMissingObjective() {
    Refused r = refused("loss=0.2\nacc=0.9", "val_accuracy");
    assertThat(r.kind()).isEqualTo(Kind.MISSING_OBJECTIVE);
    assertThat(r.message())
        .isEqualTo("objective metric \"val_accuracy\" not found; reported: loss, acc");
    assertThat(refused("{}", "acc").message())
        .isEqualTo("objective metric \"acc\" not found; reported: none");
  }

  @Test
  void refusesDuplicateKeys() {
    Refused json = refused("{\"loss\": 0.2, \"acc\": 0.9, \"loss\": 0.3}", "acc");
    assertThat(json.kind()).isEqualTo(Kind.DUPLICATE_KEY);
    assertThat(json.message()).isEqualTo("duplicate metric \"loss\"");
    Refused lines = refused("loss=0.2\nacc=0.9\nloss = 0.3", "acc");
    assertThat(lines.kind()).isEqualTo(Kind.DUPLICATE_KEY);
    assertThat(lines.message()).isEqualTo("line 3: duplicate metric \"loss\"");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"acc\": 0.9",
      "{\"acc\": 0.9,}",
      "{\"acc\" 0.9}",
      "{acc: 0.9}",
      "{'acc': 0.9}",
      "{\"acc\": 0.9} trailing",
      "{\"acc\": 0.9}{\"loss\": 1}",
      "{\"acc\": 0.9 \"loss\": 1}",
      "{\"acc\": 01}",
      "{\"acc\": .5}",
      "{\"acc\": +1}",
      "{\"acc\": 1.}",
      "{\"acc\": }",
      "{\"a\\q\": 1}",
      "{\"acc",
      "{"})
  void refusesMalformedJson(String message) {
    assertThat(refused(message, "acc").kind()).isEqualTo(Kind.MALFORMED);
  }

  @Test
  void malformedJsonMessageSaysWhere() {
    assertThat(refused("{\"acc\" 0.9}", "acc").message())
        .isEqualTo("malformed JSON at character 8: expected ':'");
    assertThat(refused("{\"acc\": 0.9", "acc").message())
        .isEqualTo("malformed JSON at end of message: expected ',' or '}'");
  }

  @Test
  void refusesLineWithoutEquals() {
    Refused r = refused("acc=0.9\nloss 0.2", "acc");
    assertThat(r.kind()).isEqualTo(Kind.MALFORMED);
    assertThat(r.message()).isEqualTo("line 2 \"loss 0.2\": expected name=value");
    assertThat(refused("=0.2", "acc").kind()).isEqualTo(Kind.MALFORMED);
    assertThat(refused("acc: 0.9", "acc").kind()).isEqualTo(Kind.MALFORMED);
  }

  @Test
  void refusesInvalidNames() {
    Refused line = refused("val acc=0.9", "acc");
    assertThat(line.kind()).isEqualTo(Kind.INVALID_NAME);
    assertThat(line.message())
        .isEqualTo(
            "line 1: metric name \"val acc\" does not match ^[A-Za-z_][A-Za-z0-9_.:/-]{0,127}$");
    assertThat(refused("{\"1acc\": 0.9}", "acc").kind()).isEqualTo(Kind.INVALID_NAME);
    assertThat(refused("{\"\": 0.9}", "acc").kind()).isEqualTo(Kind.INVALID_NAME);
    assertThat(refused("{\"" + "a".repeat(129) + "\": 0.9}", "acc").kind())
        .isEqualTo(Kind.INVALID_NAME);
    assertThat(parsed("{\"" + "a".repeat(128) + "\": 0.9}", "a".repeat(128)).objective())
        .isEqualTo(0.9);
  }
}
