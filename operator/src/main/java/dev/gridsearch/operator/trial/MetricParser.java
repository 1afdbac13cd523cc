package dev.gridsearch.operator.trial;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import dev.gridsearch.operator.trial.MetricResult.Parsed;
import dev.gridsearch.operator.trial.MetricResult.Refused;
import dev.gridsearch.operator.trial.MetricResult.Refused.Kind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Reads the metrics a trial wrote to its termination message, either a flat JSON object ({@code
 * {"val_accuracy": 0.934, "loss": 0.21}}) or {@code name=value} lines. Strict on purpose: a metric
 * that is not a finite number must not silently rank a trial. JSON is read by Jackson's streaming
 * parser; this class only words its refusals.
 */
public final class MetricParser {

  /** Kubernetes keeps at most this many bytes of a termination message. */
  public static final int MAX_BYTES = 4096;

  private static final Pattern NAME = Pattern.compile("^[A-Za-z_][A-Za-z0-9_.:/-]{0,127}$");
  // Line values may also be written +1, .5 or 1. as print() in various languages does.
  private static final Pattern LINE_NUMBER =
      Pattern.compile("[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?");
  // Python's json.dumps writes NaN and Infinity; other tools write nan, inf, -inf.
  private static final Pattern NON_FINITE =
      Pattern.compile("[+-]?(nan|inf|infinity)", Pattern.CASE_INSENSITIVE);
  private static final int MAX_SHOWN_CHARS = 80;
  // NaN and Infinity stay refused; a number as long as the whole message is judged by its value.
  private static final JsonFactory JSON =
      JsonFactory.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .streamReadConstraints(StreamReadConstraints.builder().maxNumberLength(MAX_BYTES).build())
          .build();

  private MetricParser() {}

  /** Parses {@code message}, requiring it to report {@code objectiveMetric}. */
  public static MetricResult parse(String message, String objectiveMetric) {
    Objects.requireNonNull(objectiveMetric, "objectiveMetric");
    if (message == null) {
      return new Refused(Kind.EMPTY, "message is empty");
    }
    int bytes = message.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_BYTES) {
      return new Refused(
          Kind.TOO_LARGE, "message is " + bytes + " bytes, over the " + MAX_BYTES + "-byte limit");
    }
    String text = message.strip();
    if (text.isEmpty()) {
      return new Refused(Kind.EMPTY, "message is empty");
    }
    Map<String, Double> metrics = new LinkedHashMap<>();
    try {
      if (text.startsWith("{")) {
        readJson(text, metrics);
      } else {
        readLines(message, metrics);
      }
    } catch (Refusal refusal) {
      return refusal.refused;
    }
    Double objective = metrics.get(objectiveMetric);
    if (objective == null) {
      String reported = metrics.isEmpty() ? "none" : String.join(", ", metrics.keySet());
      return new Refused(
          Kind.MISSING_OBJECTIVE,
          "objective metric " + quote(objectiveMetric) + " not found; reported: " + reported);
    }
    return new Parsed(metrics, objective);
  }

  private static void readLines(String message, Map<String, Double> metrics) throws Refusal {
    // Numbered as the trial wrote them, so "line 3" points at the author's third line.
    String[] lines = message.split("\r\n|\r|\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String where = "line " + (i + 1);
      int eq = line.indexOf('=');
      if (eq <= 0) {
        throw new Refusal(Kind.MALFORMED, where + " " + quote(line) + ": expected name=value");
      }
      String name = line.substring(0, eq).strip();
      String value = line.substring(eq + 1).strip();
      put(metrics, name, lineValue(name, value, where), where + ": ");
    }
  }

  private static double lineValue(String name, String value, String where) throws Refusal {
    checkName(name, where + ": ");
    if (LINE_NUMBER.matcher(value).matches()) {
      return finite(name, value, Double.parseDouble(value), where + ": ");
    }
    if (NON_FINITE.matcher(value).matches()) {
      throw nonFinite(name, value, where + ": ");
    }
    throw new Refusal(
        Kind.NOT_A_NUMBER,
        where + ": metric " + quote(name) + ": value " + quote(value) + " is not a number");
  }

  private static void checkName(String name, String prefix) throws Refusal {
    if (!NAME.matcher(name).matches()) {
      throw new Refusal(
          Kind.INVALID_NAME,
          prefix + "metric name " + quote(name) + " does not match " + NAME.pattern());
    }
  }

  private static void put(Map<String, Double> metrics, String name, double value, String prefix)
      throws Refusal {
    if (metrics.putIfAbsent(name, value) != null) {
      throw new Refusal(Kind.DUPLICATE_KEY, prefix + "duplicate metric " + quote(name));
    }
  }

  private static double finite(String name, String text, double value, String prefix)
      throws Refusal {
    if (!Double.isFinite(value)) {
      throw nonFinite(name, text, prefix);
    }
    return value;
  }

  private static Refusal nonFinite(String name, String text, String prefix) {
    return new Refusal(
        Kind.NON_FINITE,
        prefix + "metric " + quote(name) + ": value " + quote(text) + " is not a finite number");
  }

  private static String quote(String s) {
    String shown = s.length() <= MAX_SHOWN_CHARS ? s : s.substring(0, MAX_SHOWN_CHARS) + "...";
    return "\"" + shown + "\"";
  }

  /** Reads one flat JSON object of numbers; Jackson decides what is valid JSON. */
  private static void readJson(String text, Map<String, Double> metrics) throws Refusal {
    try (JsonParser p = JSON.createParser(text)) {
      int end = 0;
      try {
        p.nextToken(); // START_OBJECT: the caller saw the '{'
        end = offset(p.currentLocation());
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          checkName(name, "");
          JsonToken value = p.nextToken();
          end = offset(p.currentLocation());
          // Jackson ends a number or literal early ("1x", "null-1"); the trial wrote one bad value.
          if (value.isScalarValue()
              && value != JsonToken.VALUE_STRING
              && end < text.length()
              && isTokenChar(text.charAt(end))) {
            throw badValue(text, name, offset(p.currentTokenLocation()));
          }
          put(metrics, name, jsonValue(p, name, value), "");
        }
        end = offset(p.currentLocation());
      } catch (StreamReadException e) {
        throw explain(e, p, text, end, metrics);
      }
      if (end < text.length()) {
        int at = text.length() - text.substring(end).stripLeading().length();
        throw malformed(text, at, "unexpected text after the closing '}'");
      }
    } catch (IOException e) {
      // StreamReadException is handled above; a String source has no other I/O to fail.
      throw new UncheckedIOException(e);
    }
  }

  private static double jsonValue(JsonParser p, String name, JsonToken token)
      throws IOException, Refusal {
    String metric = "metric " + quote(name) + ": ";
    switch (token) {
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
        // From the text: Jackson reads -0 as the integer 0, and 1e400 must stay infinite.
        return finite(name, p.getText(), Double.parseDouble(p.getText()), "");
      }
      case VALUE_STRING ->
          throw new Refusal(
              Kind.NOT_A_NUMBER,
              metric + "value " + quote(p.getText()) + " is a string, not a number");
      case START_OBJECT ->
          throw new Refusal(Kind.NOT_A_NUMBER, metric + "a nested object is not a number");
      case START_ARRAY -> throw new Refusal(Kind.NOT_A_NUMBER, metric + "an array is not a number");
      default ->
          throw new Refusal(
              Kind.NOT_A_NUMBER, metric + "value " + quote(p.getText()) + " is not a number");
    }
  }

  /**
   * Words Jackson's refusal in this parser's terms. Jackson reads a member's ':' and value in the
   * same step as its name, so an error while it stands on a name is in the ':' or the value;
   * otherwise it is between members or inside a string.
   */
  private static Refusal explain(
      StreamReadException e, JsonParser p, String text, int end, Map<String, Double> metrics) {
    int at = e.getLocation() == null ? text.length() : offset(e.getLocation());
    String name = p.getParsingContext().getCurrentName();
    JsonToken token = p.currentToken();
    // Jackson says "duplicate" only in its message; MetricParserTest pins the wording.
    if (token != JsonToken.FIELD_NAME
        && name != null
        && metrics.containsKey(name)
        && String.valueOf(e.getOriginalMessage()).startsWith("Duplicate ")) {
      return new Refusal(Kind.DUPLICATE_KEY, "duplicate metric " + quote(name));
    }
    if (token == JsonToken.FIELD_NAME) {
      // What Jackson consumed of a bad value has no space, ':' or '"'; the ':' and name precede it.
      int start = at;
      while (start > 0
          && !isJsonSpace(text.charAt(start - 1))
          && text.charAt(start - 1) != ':'
          && text.charAt(start - 1) != '"') {
        start--;
      }
      int before = start;
      while (before > 0 && isJsonSpace(text.charAt(before - 1))) {
        before--;
      }
      if (before == 0 || text.charAt(before - 1) != ':') {
        return malformed(text, start, "expected ':'");
      }
      try {
        checkName(name, "");
      } catch (Refusal refusal) {
        return refusal;
      }
      return badValue(text, name, start);
    }
    String inString = at < text.length() ? e.getOriginalMessage() : "unterminated string";
    if (token == JsonToken.VALUE_STRING) {
      return malformed(text, at, inString);
    }
    int next = skipSpace(text, end);
    if (token != JsonToken.START_OBJECT) {
      if (next == text.length() || text.charAt(next) != ',') {
        return malformed(text, next, "expected ',' or '}'");
      }
      next = skipSpace(text, next + 1);
    }
    if (next == text.length() || text.charAt(next) != '"') {
      return malformed(text, next, "expected a metric name in double quotes");
    }
    return malformed(text, at, inString);
  }

  /** Refuses the value at {@code start}, read as the run of number-like characters there. */
  private static Refusal badValue(String text, String name, int start) {
    int stop = start;
    while (stop < text.length() && isTokenChar(text.charAt(stop))) {
      stop++;
    }
    String value = text.substring(start, stop);
    String metric = "metric " + quote(name) + ": ";
    if (value.isEmpty()) {
      return malformed(text, start, "expected a value for metric " + quote(name));
    }
    if (NON_FINITE.matcher(value).matches()) {
      return nonFinite(name, value, "");
    }
    if (LINE_NUMBER.matcher(value).matches()) {
      return new Refusal(
          Kind.MALFORMED, metric + "value " + quote(value) + " is not a valid JSON number");
    }
    return new Refusal(Kind.NOT_A_NUMBER, metric + "value " + quote(value) + " is not a number");
  }

  private static boolean isTokenChar(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '+'
        || c == '-'
        || c == '.';
  }

  private static int skipSpace(String text, int from) {
    int at = from;
    while (at < text.length() && isJsonSpace(text.charAt(at))) {
      at++;
    }
    return at;
  }

  private static boolean isJsonSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  }

  private static int offset(JsonLocation location) {
    return (int) Math.max(0, location.getCharOffset());
  }

  private static Refusal malformed(String text, int at, String what) {
    String where = at < text.length() ? "character " + (at + 1) : "end of message";
    return new Refusal(Kind.MALFORMED, "malformed JSON at " + where + ": " + what);
  }

  /** Unwinds the parse to the refusal; carries no stack trace because it is ordinary flow. */
  private static final class Refusal extends Exception {
    private final transient Refused refused;

    Refusal(Kind kind, String message) {
      super(message, null, false, false);
      this.refused = new Refused(kind, message);
    }
  }
}
