package dev.gridsearch.cli.report;

import static dev.gridsearch.cli.report.Html.esc;
import static dev.gridsearch.cli.report.Html.n;

/**
 * SVG and HTML elements into the report's buffer, attributes in the order given. Every attribute
 * value and every text content is escaped here, once; a double is written as a coordinate ({@link
 * Html#n}), anything else as {@link String#valueOf}. A null value leaves its attribute out.
 */
final class Markup {
  private final StringBuilder h;

  Markup(StringBuilder h) {
    this.h = h;
  }

  /** {@code <tag a="v" ...>}: the caller writes the content and the end tag. */
  Markup start(String tag, Object... attributes) {
    h.append('<').append(tag);
    attributes(attributes);
    h.append('>');
    return this;
  }

  /** {@code <tag a="v" .../>}. */
  Markup empty(String tag, Object... attributes) {
    h.append('<').append(tag);
    attributes(attributes);
    h.append("/>");
    return this;
  }

  /** {@code <tag a="v" ...>content</tag>}, the content escaped. */
  Markup element(String tag, Object content, Object... attributes) {
    start(tag, attributes);
    h.append(esc(value(content))).append("</").append(tag).append('>');
    return this;
  }

  Markup line(String cls, Object x1, Object y1, Object x2, Object y2) {
    return empty("line", "class", cls, "x1", x1, "y1", y1, "x2", x2, "y2", y2);
  }

  /** A label; {@code anchor} (text-anchor) may be null. */
  Markup text(String cls, Object x, Object y, String anchor, Object content) {
    return element("text", content, "class", cls, "x", x, "y", y, "text-anchor", anchor);
  }

  /** A filled rectangle; {@code tip} (data-tip, the tooltip) may be null. */
  Markup rect(
      String cls, Object x, Object y, Object width, Object height, String fill, String tip) {
    return empty(
        "rect",
        "class",
        cls,
        "x",
        x,
        "y",
        y,
        "width",
        width,
        "height",
        height,
        "fill",
        fill,
        "data-tip",
        tip);
  }

  Markup circle(String cls, Object cx, Object cy, String r, String tip) {
    return empty("circle", "class", cls, "cx", cx, "cy", cy, "r", r, "data-tip", tip);
  }

  /** An x axis from {@code left} to {@code left + w} at {@code y}. */
  Markup axisLine(int left, int y, int w) {
    return line("axis", left, y, left + w, y);
  }

  private void attributes(Object[] nameValues) {
    if (nameValues.length % 2 != 0) {
      throw new IllegalArgumentException("attributes come as name, value pairs");
    }
    for (int i = 0; i < nameValues.length; i += 2) {
      if (nameValues[i + 1] != null) {
        h.append(' ')
            .append(nameValues[i])
            .append("=\"")
            .append(esc(value(nameValues[i + 1])))
            .append('"');
      }
    }
  }

  private static String value(Object v) {
    if (v == null) {
      return ""; // as Html.esc(null): a missing parameter value is an empty cell
    }
    return v instanceof Double || v instanceof Float
        ? n(((Number) v).doubleValue())
        : String.valueOf(v);
  }
}
