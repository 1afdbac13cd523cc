package dev.gridsearch.operator.points;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One of objective.constraints, {@code <metric> <op> <number>}. The grammar is three tokens,
 * checked by the same pattern at admission, so a parser of its own is simpler than an expression
 * language.
 */
public record Constraint(String metric, String op, double bound, String text) {
  private static final Pattern FORM =
      Pattern.compile(
          " *([A-Za-z_][A-Za-z0-9_.:/-]{0,127}) *(<=|>=|==|!=|<|>) *([-+]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][-+]?[0-9]+)?) *");

  /** Empty when the text is not a constraint (the admission policy refuses it first). */
  public static Optional<Constraint> parse(String text) {
    Matcher m = FORM.matcher(text);
    if (!m.matches()) {
      return Optional.empty();
    }
    return Optional.of(
        new Constraint(m.group(1), m.group(2), Double.parseDouble(m.group(3)), text.trim()));
  }

  public boolean holds(double value) {
    return switch (op) {
      case "<" -> value < bound;
      case "<=" -> value <= bound;
      case ">" -> value > bound;
      case ">=" -> value >= bound;
      case "==" -> value == bound;
      default -> value != bound;
    };
  }
}
