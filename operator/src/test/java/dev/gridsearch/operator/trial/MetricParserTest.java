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
        .containsExactly(
            entry("epochs", 12.0), entry("lr", 0.001), entry("delta", -250.0), entry("z", -0.0));
    Parsed lines = parsed("epochs=12\nlr=1e-3\ndelta=-2.5E+2\nhalf=.5\nplus=+3", "lr");
    assertThat(lines.metrics())
        .containsExactly(
            entry("epochs", 12.0),
            entry("lr", 0.001),
            entry("delta", -250.0),
            entry("half", 0.5),
            entry("plus", 3.0));
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
  @ValueSource(
      strings = {
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
        "{"
      })
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

  // JSON read by Jackson: its refusals keep this parser's kinds and words

  @Test
  void duplicateKeysAreFoundByJacksonAfterUnescapingAndBeforeTheValue() {
    Refused escaped = refused("{\"acc\": 0.9, \"\\u0061cc\": 0.8}", "acc");
    assertThat(escaped.kind()).isEqualTo(Kind.DUPLICATE_KEY);
    assertThat(escaped.message()).isEqualTo("duplicate metric \"acc\"");
    // Jackson refuses the repeated name as it reads it, before looking at the value.
    Refused badValue = refused("{\"acc\": 0.9, \"acc\": NaN}", "acc");
    assertThat(badValue.kind()).isEqualTo(Kind.DUPLICATE_KEY);
    assertThat(refused("{\"a\": 1, \"b\": 2, \"a\": 3, \"acc\": 1}", "acc").message())
        .isEqualTo("duplicate metric \"a\"");
  }

  @Test
  void refusesAnythingAfterTheClosingBrace() {
    assertThat(refused("{\"acc\": 0.9} trailing", "acc").message())
        .isEqualTo("malformed JSON at character 14: unexpected text after the closing '}'");
    assertThat(refused("{\"acc\": 0.9}{\"loss\": 1}", "acc").message())
        .isEqualTo("malformed JSON at character 13: unexpected text after the closing '}'");
    assertThat(refused("{\"acc\": 0.9}\n}", "acc").message())
        .isEqualTo("malformed JSON at character 14: unexpected text after the closing '}'");
    assertThat(refused("{\"acc\": 0.9},", "acc").kind()).isEqualTo(Kind.MALFORMED);
    assertThat(parsed("{\"acc\": 0.9} \r\n\t", "acc").objective()).isEqualTo(0.9);
  }

  @Test
  void numbersTooLargeForADoubleAreNonFiniteWhateverTheirLength() {
    assertThat(refused("{\"acc\": 1e400}", "acc").message())
        .isEqualTo("metric \"acc\": value \"1e400\" is not a finite number");
    String digits = "9".repeat(1500);
    assertThat(refused("{\"acc\": " + digits + "}", "acc").kind()).isEqualTo(Kind.NON_FINITE);
    String longFraction = "0." + "1".repeat(4000);
    assertThat(parsed("{\"acc\": " + longFraction + "}", "acc").objective())
        .isEqualTo(Double.parseDouble(longFraction));
    assertThat(parsed("{\"acc\": 1e-400}", "acc").objective()).isEqualTo(0.0);
  }

  @ParameterizedTest
  @ValueSource(strings = {"nan", "inf", "-inf", "+Infinity", "INF"})
  void refusesOtherSpellingsOfNonFiniteInJson(String value) {
    Refused r = refused("{\"acc\": " + value + "}", "acc");
    assertThat(r.kind()).isEqualTo(Kind.NON_FINITE);
    assertThat(r.message())
        .isEqualTo("metric \"acc\": value \"" + value + "\" is not a finite number");
  }

  @Test
  void aValueJacksonEndsEarlyIsRefusedWhole() {
    assertThat(refused("{\"acc\": 1x}", "acc").message())
        .isEqualTo("metric \"acc\": value \"1x\" is not a number");
    assertThat(refused("{\"acc\": 1.5.3, \"loss\": 1}", "acc").message())
        .isEqualTo("metric \"acc\": value \"1.5.3\" is not a number");
    assertThat(refused("{\"acc\": null-1}", "acc").message())
        .isEqualTo("metric \"acc\": value \"null-1\" is not a number");
    assertThat(refused("{\"acc\": 1e999x}", "acc").kind()).isEqualTo(Kind.NOT_A_NUMBER);
  }

  @Test
  void numbersJsonDoesNotAllowAreMalformed() {
    assertThat(refused("{\"acc\": 01}", "acc").message())
        .isEqualTo("metric \"acc\": value \"01\" is not a valid JSON number");
    assertThat(refused("{\"acc\": +1}", "acc").message())
        .isEqualTo("metric \"acc\": value \"+1\" is not a valid JSON number");
    assertThat(refused("{\"acc\": -}", "acc").message())
        .isEqualTo("metric \"acc\": value \"-\" is not a number");
  }

  @Test
  void malformedJsonMessagesSayWhatWasExpectedAndWhere() {
    assertThat(refused("{\"acc\": 0.9 \"loss\": 1}", "acc").message())
        .isEqualTo("malformed JSON at character 13: expected ',' or '}'");
    assertThat(refused("{\"acc\": 0.9,}", "acc").message())
        .isEqualTo("malformed JSON at character 13: expected a metric name in double quotes");
    assertThat(refused("{acc: 0.9}", "acc").message())
        .isEqualTo("malformed JSON at character 2: expected a metric name in double quotes");
    assertThat(refused("{\"acc\"}", "acc").message())
        .isEqualTo("malformed JSON at character 7: expected ':'");
    assertThat(refused("{\"acc\"", "acc").message())
        .isEqualTo("malformed JSON at end of message: expected ':'");
    assertThat(refused("{\"acc\": }", "acc").message())
        .isEqualTo("malformed JSON at character 9: expected a value for metric \"acc\"");
    assertThat(refused("{\"acc\": 0.9, \"loss\":", "acc").message())
        .isEqualTo("malformed JSON at end of message: expected a value for metric \"loss\"");
    assertThat(refused("{\"acc", "acc").message())
        .isEqualTo("malformed JSON at end of message: unterminated string");
    assertThat(refused("{\"acc\": \"0.9", "acc").message())
        .isEqualTo("malformed JSON at end of message: unterminated string");
    assertThat(refused("{\"a\\q\": 1}", "acc").message())
        .startsWith("malformed JSON at character 5: ");
  }

  @Test
  void anInvalidNameIsReportedBeforeItsValue() {
    assertThat(refused("{\"1acc\": NaN}", "acc").kind()).isEqualTo(Kind.INVALID_NAME);
    assertThat(refused("{\"val acc\": abc}", "acc").kind()).isEqualTo(Kind.INVALID_NAME);
    assertThat(refused("{\"1acc\" 1}", "acc").kind()).isEqualTo(Kind.MALFORMED);
  }
}
