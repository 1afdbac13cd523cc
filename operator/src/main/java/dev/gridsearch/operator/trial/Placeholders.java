package dev.gridsearch.operator.trial;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The ${...} placeholders of API.md, substituted in any string of a trial template. */
final class Placeholders {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");
  static final String PARAMS = "params.";
  static final List<String> TRIAL_KEYS =
      List.of(
          "trial.index",
          "trial.name",
          "trial.seed",
          "trial.point",
          "trial.repeat",
          "trial.repeats",
          "trial.fold",
          "trial.folds",
          "gridsearch.name");

  private Placeholders() {}

  /**
   * Replaces every placeholder with its value from {@code values}; unknown ones are reported and
   * left as they are.
   */
  static String substitute(String text, Map<String, String> values, Consumer<String> unknown) {
    if (text.indexOf("${") < 0) {
      return text;
    }
    Matcher m = PLACEHOLDER.matcher(text);
    StringBuilder out = new StringBuilder(text.length());
    while (m.find()) {
      String value = values.get(m.group(1));
      if (value == null) {
        unknown.accept(m.group(1));
        value = m.group();
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** Why a placeholder key is not known, for the user. */
  static String explain(String key, Set<String> parameterNames) {
    if (key.startsWith(PARAMS)) {
      return "unknown placeholder ${"
          + key
          + "}: parameter \""
          + key.substring(PARAMS.length())
          + "\" is not declared (declared: "
          + String.join(", ", parameterNames)
          + ")";
    }
    return "unknown placeholder ${"
        + key
        + "} (known: ${params.<name>}, ${"
        + String.join("}, ${", TRIAL_KEYS)
        + "})";
  }
}
