package dev.gridsearch.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.gridsearch.cli.source.TrialRecords;
import dev.gridsearch.cli.view.PointColumns;
import dev.gridsearch.cli.view.SearchInfo;
import dev.gridsearch.cli.view.Table;
import dev.gridsearch.cli.view.TrialColumns;
import dev.gridsearch.cli.view.TrialOrder;
import dev.gridsearch.operator.api.GridSearch;
import dev.gridsearch.operator.results.Leaderboard;
import dev.gridsearch.operator.results.PointRecord;
import dev.gridsearch.operator.results.PointState;
import dev.gridsearch.operator.results.ResultCodec;
import dev.gridsearch.operator.results.ResultRecord;
import dev.gridsearch.operator.trial.TrialState;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Predicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Every trial record of a search, streamed shard by shard. */
@Command(
    name = "results",
    mixinStandardHelpOptions = true,
    description = {
      "Every trial record of a search: the parameters, the metrics, the state, the duration and the"
          + " reason. With repeats or folds, every point instead: its rank, the aggregates of each"
          + " metric (scikit-learn's cv_results_ columns: mean_test_M, std_test_M, split<k>_test_M,"
          + " ...) and its state; --trials shows the trials.",
      "Records stream shard by shard: csv, jsonl and json hold one results ConfigMap in memory at a"
          + " time, whatever the search's size; --sort without --top holds every record."
    },
    footer = {
      "",
      "Examples:",
      "  kubectl gridsearch results quickstart",
      "  kubectl gridsearch results quickstart -o csv > quickstart.csv",
      "  kubectl gridsearch results quickstart --top 5",
      "  kubectl gridsearch results quickstart --state Failed -o jsonl | jq .message"
    })
final class ResultsCommand implements Callable<Integer> {
  enum Format {
    table,
    csv,
    jsonl,
    json
  }

  @Spec CommandSpec spec;
  @Mixin KubeOptions kube;

  @Parameters(index = "0", paramLabel = "NAME", description = "The GridSearch.")
  String name;

  @Option(
      names = {"-o", "--output"},
      defaultValue = "table",
      description = "table, csv, jsonl or json (default: ${DEFAULT-VALUE}).")
  Format format;

  @Option(
      names = "--sort",
      paramLabel = "M",
      description =
          "Order by a metric (the objective best first, others ascending), a parameter (grid"
              + " order), trial, duration or state. Default: the order they were recorded.")
  String sort;

  @Option(names = "--reverse", description = "Reverse the --sort order (missing values stay last).")
  boolean reverse;

  @Option(
      names = "--top",
      paramLabel = "N",
      description = "Only the first N by --sort (default: by the objective, best first).")
  Integer top;

  @Option(
      names = "--state",
      paramLabel = "S",
      split = ",",
      description = "Only trials in these states: Succeeded, Failed, MetricsMissing, Stopped.")
  List<String> states;

  @Option(
      names = "--trials",
      description = "With repeats or folds: the trial records instead of the points' aggregates.")
  boolean trials;

  private final Cli cli;

  ResultsCommand(Cli cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() {
    Cli.Loaded search = cli.load(kube, name);
    GridSearch gs = search.gs();
    SearchInfo info = search.info();
    PrintWriter out = spec.commandLine().getOut();
    Predicate<ResultRecord> keep = stateFilter();
    TrialRecords records = new TrialRecords(search.source());
    TrialRecords.Pass pass;
    if (info.hasPoints() && !trials) {
      pass = points(gs, info, records, out);
    } else if (sort != null || top != null) {
      String key = sort != null ? sort : info.metric();
      checkSortKey(key, info);
      Chosen chosen = new Chosen(TrialOrder.by(key, info, reverse), keep, top);
      pass = records.forEach(gs, chosen);
      print(info, chosen.sorted(), out);
    } else if (format == Format.table) {
      List<ResultRecord> all = new ArrayList<>();
      pass =
          records.forEach(
              gs,
              r -> {
                if (keep.test(r)) {
                  all.add(r);
                }
              });
      print(info, all, out);
    } else if (format == Format.csv) {
      // The header names every metric, so a first pass finds them; memory stays one shard.
      Set<String> metrics = new TreeSet<>();
      records.forEach(
          gs,
          r -> {
            if (keep.test(r) && r.metrics() != null) {
              metrics.addAll(r.metrics().keySet());
            }
          });
      TrialColumns columns = TrialColumns.of(info, metrics);
      try (SequenceWriter w = csvWriter(columns, out)) {
        pass =
            records.forEach(
                gs,
                r -> {
                  if (keep.test(r)) {
                    write(w, columns.csvRow(r));
                  }
                });
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    } else {
      pass = streamJson(gs, info, records, keep, out);
    }
    out.flush();
    warn(pass);
    return 0;
  }

  /**
   * The points' aggregates, ranked as scikit-learn ranks (ties share the lowest rank). Ranks need
   * every point, so point records are held: one per point, never per trial.
   */
  private TrialRecords.Pass points(
      GridSearch gs, SearchInfo info, TrialRecords records, PrintWriter out) {
    List<PointRecord> all = new ArrayList<>();
    TrialRecords.Pass pass = records.forEach(gs, r -> {}, all::add);
    Map<Long, Integer> ranks = Leaderboard.ranks(all, info.goal());
    Set<String> wanted = pointStates();
    List<PointRecord> shown =
        new ArrayList<>(
            all.stream().filter(p -> wanted == null || wanted.contains(p.state().name())).toList());
    Comparator<PointRecord> byPoint = Comparator.comparingLong(PointRecord::point);
    Comparator<PointRecord> order = byPoint;
    if (top != null || (sort != null && !sort.equals("point"))) {
      String key = sort == null || sort.equals("value") ? info.metric() : sort;
      boolean descending = key.equals(info.metric()) && info.maximize();
      Comparator<Double> values =
          descending != reverse ? Comparator.reverseOrder() : Comparator.naturalOrder();
      order =
          Comparator.comparing(
                  (PointRecord p) -> {
                    if (key.equals(info.metric())) {
                      return Leaderboard.ranked(p) ? p.value() : null;
                    }
                    var st = p.metrics().get(key);
                    return st == null ? null : st.mean();
                  },
                  Comparator.nullsLast(values))
              .thenComparing(byPoint);
    }
    shown.sort(order);
    if (top != null && shown.size() > top) {
      shown = new ArrayList<>(shown.subList(0, top));
    }
    PointColumns columns = PointColumns.of(info, all);
    switch (format) {
      case table -> {
        if (shown.isEmpty()) {
          spec.commandLine().getErr().println("No point records" + filterNote() + ".");
          break;
        }
        Table t = new Table(columns.tableHeader());
        shown.forEach(p -> t.add(columns.tableRow(p, ranks.get(p.point()))));
        t.print(out);
      }
      case csv -> {
        try (SequenceWriter w = csvWriter(columns.header(), out)) {
          for (PointRecord p : shown) {
            write(w, columns.csvRow(p, ranks.get(p.point())));
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      case jsonl, json -> {
        ObjectMapper mapper = new ObjectMapper();
        try {
          if (format == Format.jsonl) {
            for (PointRecord p : shown) {
              out.println(
                  mapper.writeValueAsString(
                      PointColumns.jsonRow(p, ranks.get(p.point()), columns.rankColumn())));
            }
          } else {
            Map<String, Object> doc = new java.util.LinkedHashMap<>();
            doc.put("search", info.name());
            doc.put("namespace", info.namespace());
            doc.put(
                "objective",
                Map.of(
                    "metric",
                    info.metric(),
                    "goal",
                    info.goal().name(),
                    "aggregate",
                    info.aggregate().name()));
            doc.put("repeats", info.layout().repeats());
            doc.put("folds", info.layout().folds());
            doc.put("parameters", info.parameters());
            doc.put(
                "points",
                shown.stream()
                    .map(p -> PointColumns.jsonRow(p, ranks.get(p.point()), columns.rankColumn()))
                    .toList());
            out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(doc));
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    return pass;
  }

  private Set<String> pointStates() {
    if (states == null || states.isEmpty()) {
      return null;
    }
    Set<String> out = new java.util.HashSet<>();
    for (String s : states) {
      out.add(
          Arrays.stream(PointState.values())
              .map(Enum::name)
              .filter(n -> n.equalsIgnoreCase(s.trim()))
              .findFirst()
              .orElseThrow(
                  () ->
                      new picocli.CommandLine.ParameterException(
                          spec.commandLine(),
                          "--state: unknown point state \""
                              + s
                              + "\" (one of "
                              + Arrays.toString(PointState.values())
                              + "; --trials for trial states)")));
    }
    return out;
  }

  /** Keeps all records, or the first --top of them in a bounded heap (memory: N records). */
  private static final class Chosen implements Consumer<ResultRecord> {
    private final Comparator<ResultRecord> order;
    private final Predicate<ResultRecord> keep;
    private final Integer top;
    private final PriorityQueue<ResultRecord> heap;
    private final List<ResultRecord> all = new ArrayList<>();

    Chosen(Comparator<ResultRecord> order, Predicate<ResultRecord> keep, Integer top) {
      this.order = order;
      this.keep = keep;
      this.top = top;
      this.heap = new PriorityQueue<>(order.reversed());
    }

    @Override
    public void accept(ResultRecord r) {
      if (!keep.test(r)) {
        return;
      }
      if (top == null) {
        all.add(r);
        return;
      }
      heap.add(r);
      if (heap.size() > top) {
        heap.poll();
      }
    }

    List<ResultRecord> sorted() {
      List<ResultRecord> out = new ArrayList<>(top == null ? all : heap);
      out.sort(order);
      return out;
    }
  }

  private void print(SearchInfo info, List<ResultRecord> rows, PrintWriter out) {
    Set<String> metrics = new TreeSet<>();
    rows.forEach(
        r -> {
          if (r.metrics() != null) {
            metrics.addAll(r.metrics().keySet());
          }
        });
    TrialColumns columns = TrialColumns.of(info, metrics);
    switch (format) {
      case table -> {
        if (rows.isEmpty()) {
          spec.commandLine().getErr().println("No trial records" + filterNote() + ".");
          return;
        }
        Table t = new Table(columns.tableHeader());
        rows.forEach(r -> t.add(columns.tableRow(r)));
        t.print(out);
      }
      case csv -> {
        try (SequenceWriter w = csvWriter(columns, out)) {
          for (ResultRecord r : rows) {
            write(w, columns.csvRow(r));
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      case jsonl, json -> {
        try (JsonOut j = new JsonOut(info, out)) {
          rows.forEach(j::record);
        }
      }
    }
  }

  private TrialRecords.Pass streamJson(
      GridSearch gs,
      SearchInfo info,
      TrialRecords records,
      Predicate<ResultRecord> keep,
      PrintWriter out) {
    try (JsonOut j = new JsonOut(info, out)) {
      return records.forEach(
          gs,
          r -> {
            if (keep.test(r)) {
              j.record(r);
            }
          });
    }
  }

  /** jsonl: one stored record a line; json: one document with the search and its trials. */
  private final class JsonOut implements AutoCloseable {
    private final ResultCodec codec = new ResultCodec();
    private final PrintWriter out;
    private final JsonGenerator g;

    JsonOut(SearchInfo info, PrintWriter out) {
      this.out = out;
      try {
        if (format == Format.json) {
          g = new ObjectMapper().createGenerator(out).useDefaultPrettyPrinter();
          g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
          g.writeStartObject();
          g.writeStringField("search", info.name());
          g.writeStringField("namespace", info.namespace());
          g.writeObjectFieldStart("objective");
          g.writeStringField("metric", info.metric());
          g.writeStringField("goal", info.goal().name());
          g.writeEndObject();
          g.writeArrayFieldStart("parameters");
          for (String p : info.parameters()) {
            g.writeString(p);
          }
          g.writeEndArray();
          g.writeArrayFieldStart("trials");
        } else {
          g = null;
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    void record(ResultRecord r) {
      try {
        if (g == null) {
          out.println(codec.encode(r));
        } else {
          g.writeObject(r);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void close() {
      if (g != null) {
        try {
          g.writeEndArray();
          g.writeEndObject();
          g.close();
          out.println();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
  }

  private static SequenceWriter csvWriter(TrialColumns columns, PrintWriter out)
      throws IOException {
    return csvWriter(columns.header(), out);
  }

  private static SequenceWriter csvWriter(List<String> header, PrintWriter out) throws IOException {
    CsvMapper mapper = new CsvMapper();
    mapper.getFactory().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
    header.forEach(schema::addColumn);
    return mapper.writerFor(List.class).with(schema.build()).writeValues(out);
  }

  private static void write(SequenceWriter w, List<String> row) {
    try {
      w.write(row);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Predicate<ResultRecord> stateFilter() {
    if (states == null || states.isEmpty()) {
      return r -> true;
    }
    Set<TrialState> wanted = new java.util.HashSet<>();
    for (String s : states) {
      wanted.add(
          Arrays.stream(TrialState.values())
              .filter(t -> t.name().equalsIgnoreCase(s.trim()))
              .findFirst()
              .orElseThrow(
                  () ->
                      new picocli.CommandLine.ParameterException(
                          spec.commandLine(),
                          "--state: unknown state \""
                              + s
                              + "\" (one of "
                              + Arrays.toString(TrialState.values())
                              + ")")));
    }
    return r -> wanted.contains(r.state());
  }

  private void checkSortKey(String key, SearchInfo info) {
    if (Set.of("trial", "duration", "state").contains(key) || info.parameters().contains(key)) {
      return;
    }
    if (!key.matches(dev.gridsearch.operator.api.Objective.METRIC_PATTERN)) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--sort: \"" + key + "\" is not a metric or parameter name");
    }
  }

  private String filterNote() {
    return states == null ? "" : " in state " + String.join(",", states).toLowerCase(Locale.ROOT);
  }

  private void warn(TrialRecords.Pass pass) {
    PrintWriter err = spec.commandLine().getErr();
    if (pass.unreadable() > 0) {
      err.println(
          "warning: " + pass.unreadable() + " entries of the results ConfigMaps are not records");
    }
    if (pass.missingShards() > 0) {
      err.println("warning: " + pass.missingShards() + " results ConfigMaps were gone");
    }
    err.flush();
  }
}
