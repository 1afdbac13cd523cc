package dev.gridsearch.cli.view;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A kubectl-style table: left-aligned columns three spaces apart, no borders. */
public final class Table {
  private final List<String> header;
  private final List<List<String>> rows = new ArrayList<>();

  public Table(List<String> header) {
    this.header = List.copyOf(header);
  }

  public Table add(List<String> row) {
    rows.add(row);
    return this;
  }

  public int size() {
    return rows.size();
  }

  public void print(PrintWriter out) {
    int[] widths = new int[header.size()];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = header.get(i).length();
    }
    for (List<String> row : rows) {
      for (int i = 0; i < widths.length; i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    line(out, header, widths);
    rows.forEach(r -> line(out, r, widths));
    out.flush();
  }

  private static void line(PrintWriter out, List<String> cells, int[] widths) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < widths.length; i++) {
      String c = cells.get(i);
      b.append(c);
      if (i < widths.length - 1) {
        b.append(" ".repeat(widths[i] - c.length() + 3));
      }
    }
    out.println(b.toString().stripTrailing());
  }
}
