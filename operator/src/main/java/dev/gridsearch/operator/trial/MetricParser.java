package dev.gridsearch.operator.trial;

import dev.gridsearch.operator.trial.MetricResult.Parsed;
import dev.gridsearch.operator.trial.MetricResult.Refused;
import dev.gridsearch.operator.trial.MetricResult.Refused.Kind;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Reads the metrics a trial wrote to its termination message, either a flat JSON object
 * ({@code {"val_accuracy": 0.934, "loss": 0.21}}) or {@code name=value} lines. Strict on purpose:
 * a metric that is not a finite number must not silently rank a trial.
 */
public final class MetricParser {

  /** Kubernetes keeps at most this many bytes of a termination message. */
  public static final int MAX_BYTES = 4096;

  private static final Pattern NAME = Pattern.compile("^[A-Za-z_][A-Za-z0-9_.:/-]{0,127}$");
  private static final Pattern JSON_NUMBER =
      Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
  // Line values may also be written +1, .5 or 1. as print() in various languages does.
  private static final Pattern LINE_NUMBER =
      Pattern.compile("[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?");
  // Python's json.dumps writes NaN and Infinity; other tools write nan, inf, -inf.
  private static final Pattern NON_FINITE =
      Pattern.compile("[+-]?(nan|inf|infinity)", Pattern.CASE_INSENSITIVE);
  private static final int MAX_SHOWN_CHARS = 80;

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
          Kind.TOO_LARGE,
          "message is " + bytes + " bytes, over the " + MAX_BYTES + "-byte limit");
    }
    String text = message.strip();
    if (text.isEmpty()) {
      return new Refused(Kind.EMPTY, "message is empty");
    }
    Map<String, Double> metrics = new LinkedHashMap<>();
    try {
      if (text.startsWith("{")) {
        new JsonObject(text, metrics).read();
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

  /** A strict reader for one flat JSON object whose values are numbers. */
  private static final class JsonObject {
    private final String text;
    private final Map<String, Double> metrics;
    private int pos;

    JsonObject(String text, Map<String, Double> metrics) {
      this.text = text;
      this.metrics = metrics;
    }

    void read() throws Refusal {
      expect('{');
      skipSpace();
      if (peek() == '}') {
        pos++;
      } else {
        while (true) {
          member();
          skipSpace();
          char c = peek();
          pos++;
          if (c == '}') {
            break;
          }
          if (c != ',') {
            pos--;
            throw malformed("expected ',' or '}'");
          }
          skipSpace();
        }
      }
      skipSpace();
      if (pos < text.length()) {
        throw malformed("unexpected text after the closing '}'");
      }
    }

    private void member() throws Refusal {
      if (peek() != '"') {
        throw malformed("expected a metric name in double quotes");
      }
      String name = string();
      skipSpace();
      expect(':');
      skipSpace();
      checkName(name, "");
      put(metrics, name, value(name), "");
    }

    private double value(String name) throws Refusal {
      char c = peek();
      String metric = "metric " + quote(name) + ": ";
      if (c == '"') {
        String s = string();
        throw new Refusal(
            Kind.NOT_A_NUMBER, metric + "value " + quote(s) + " is a string, not a number");
      }
      if (c == '{' || c == '[') {
        throw new Refusal(
            Kind.NOT_A_NUMBER,
            metric + (c == '{' ? "a nested object" : "an array") + " is not a number");
      }
      int start = pos;
      while (pos < text.length() && isTokenChar(text.charAt(pos))) {
        pos++;
      }
      String token = text.substring(start, pos);
      if (token.isEmpty()) {
        throw malformed("expected a value for metric " + quote(name));
      }
      if (JSON_NUMBER.matcher(token).matches()) {
        return finite(name, token, Double.parseDouble(token), "");
      }
      if (NON_FINITE.matcher(token).matches()) {
        throw nonFinite(name, token, "");
      }
      if (LINE_NUMBER.matcher(token).matches()) {
        throw new Refusal(
            Kind.MALFORMED, metric + "value " + quote(token) + " is not a valid JSON number");
      }
      throw new Refusal(Kind.NOT_A_NUMBER, metric + "value " + quote(token) + " is not a number");
    }

    private String string() throws Refusal {
      expect('"');
      StringBuilder out = new StringBuilder();
      while (true) {
        if (pos >= text.length()) {
          throw malformed("unterminated string");
        }
        char c = text.charAt(pos++);
        if (c == '"') {
          return out.toString();
        }
        if (c < 0x20) {
          pos--;
          throw malformed("control character in string");
        }
        if (c != '\\') {
          out.append(c);
          continue;
        }
        if (pos >= text.length()) {
          throw malformed("unterminated string");
        }
        char e = text.charAt(pos++);
        switch (e) {
          case '"', '\\', '/' -> out.append(e);
          case 'b' -> out.append('\b');
          case 'f' -> out.append('\f');
          case 'n' -> out.append('\n');
          case 'r' -> out.append('\r');
          case 't' -> out.append('\t');
          case 'u' -> out.append(unicodeEscape());
          default -> {
            pos--;
            throw malformed("invalid escape '\\" + e + "'");
          }
        }
      }
    }

    private char unicodeEscape() throws Refusal {
      if (pos + 4 > text.length()) {
        throw malformed("incomplete \\u escape");
      }
      int code = 0;
      for (int i = 0; i < 4; i++) {
        int digit = Character.digit(text.charAt(pos + i), 16);
        if (digit < 0) {
          throw malformed("invalid \\u escape");
        }
        code = code * 16 + digit;
      }
      pos += 4;
      return (char) code;
    }

    private static boolean isTokenChar(char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '+' || c == '-' || c == '.';
    }

    private void expect(char c) throws Refusal {
      if (peek() != c) {
        throw malformed("expected '" + c + "'");
      }
      pos++;
    }

    // NUL stands for end of input; a literal NUL is a control character JSON refuses anyway.
    private char peek() {
      return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private void skipSpace() {
      while (pos < text.length()) {
        char c = text.charAt(pos);
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
          return;
        }
        pos++;
      }
    }

    private Refusal malformed(String what) {
      String at = pos < text.length() ? "character " + (pos + 1) : "end of message";
      return new Refusal(Kind.MALFORMED, "malformed JSON at " + at + ": " + what);
    }
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
