package dev.gridsearch.cli.view;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * A heatmap as text: rows are --y values, columns --x values. In colour, each cell's background is
 * its viridis colour; in plain text, the numbers alone, with the best cell marked.
 */
public final class TerminalHeatmap {
  public enum Colour {
    none,
    ansi256,
    truecolor
  }

  private TerminalHeatmap() {}

  public static void print(
      Heatmap h,
      String reducedOver,
      String note,
      boolean maximize,
      Colour colour,
      PrintWriter out) {
    var range = h.range();
    double lo = range.map(r -> r[0]).orElse(0.0);
    double hi = range.map(r -> r[1]).orElse(0.0);
    Double best = range.isEmpty() ? null : maximize ? hi : lo;
    List<String> yLabels = new ArrayList<>();
    for (String v : h.ys()) {
      yLabels.add(h.y() + "=" + v);
    }
    int labelWidth = Math.max(h.y().length() + 3 + h.x().length(), width(yLabels));
    int cellWidth = 3;
    for (String v : h.xs()) {
      cellWidth = Math.max(cellWidth, v.length());
    }
    for (int j = 0; j < h.ys().size(); j++) {
      for (int i = 0; i < h.xs().size(); i++) {
        cellWidth = Math.max(cellWidth, Numbers.shortly(h.cell(j, i)).length() + 1);
      }
    }
    cellWidth += 2;
    out.println(
        h.metric()
            + (reducedOver.isEmpty() ? "" : ", " + h.reduce() + " over " + reducedOver)
            + note
            + ": rows "
            + h.y()
            + ", columns "
            + h.x());
    StringBuilder head = new StringBuilder(pad(h.y() + " \\ " + h.x(), labelWidth));
    for (String v : h.xs()) {
      head.append(center(v, cellWidth));
    }
    out.println(head.toString().stripTrailing());
    for (int j = 0; j < h.ys().size(); j++) {
      StringBuilder line = new StringBuilder(pad(yLabels.get(j), labelWidth));
      for (int i = 0; i < h.xs().size(); i++) {
        Double v = h.cell(j, i);
        String text = v == null ? "·" : Numbers.shortly(v);
        if (colour == Colour.none) {
          if (v != null && v.equals(best)) {
            text = text + "*";
          }
          line.append(center(text, cellWidth));
        } else if (v == null) {
          line.append(center(text, cellWidth));
        } else {
          double t = Palette.position(v, lo, hi);
          line.append(paint(center(text, cellWidth), t, colour, v.equals(best)));
        }
      }
      out.println(colour == Colour.none ? line.toString().stripTrailing() : line.toString());
    }
    out.println();
    if (range.isEmpty()) {
      out.println("no trial has a value of " + h.metric() + " yet");
    } else if (colour == Colour.none) {
      out.println(
          "legend: "
              + h.metric()
              + " from "
              + Numbers.shortly(lo)
              + " to "
              + Numbers.shortly(hi)
              + "; * the best ("
              + (maximize ? "highest" : "lowest")
              + "), · no record");
    } else {
      StringBuilder legend = new StringBuilder("legend: " + Numbers.shortly(lo) + " ");
      for (int k = 0; k < 24; k++) {
        legend.append(paint(" ", k / 23.0, colour, false));
      }
      legend
          .append(" ")
          .append(Numbers.shortly(hi))
          .append("  (")
          .append(h.metric())
          .append("; bold: the best, · no record)");
      out.println(legend);
    }
    if (h.outside() > 0) {
      out.println(h.outside() + " records have values that are not on these axes (not shown)");
    }
    out.flush();
  }

  private static String paint(String text, double t, Colour colour, boolean bold) {
    int[] bg = Palette.rgb(t);
    String fg = Palette.light(t) ? "30" : "97";
    String background =
        colour == Colour.truecolor
            ? "48;2;" + bg[0] + ";" + bg[1] + ";" + bg[2]
            : "48;5;" + cube(bg);
    return "\u001b[" + (bold ? "1;" : "") + fg + ";" + background + "m" + text + "\u001b[0m";
  }

  /** The nearest colour of xterm's 6×6×6 cube. */
  static int cube(int[] rgb) {
    int[] k = new int[3];
    for (int i = 0; i < 3; i++) {
      k[i] = rgb[i] < 48 ? 0 : rgb[i] < 115 ? 1 : (rgb[i] - 35) / 40;
    }
    return 16 + 36 * k[0] + 6 * k[1] + k[2];
  }

  private static int width(List<String> labels) {
    return labels.stream().mapToInt(String::length).max().orElse(0);
  }

  private static String pad(String s, int w) {
    return s + " ".repeat(Math.max(0, w - s.length()));
  }

  private static String center(String s, int w) {
    int left = (w - s.length()) / 2;
    return " ".repeat(Math.max(0, left)) + s + " ".repeat(Math.max(0, w - s.length() - left));
  }
}
