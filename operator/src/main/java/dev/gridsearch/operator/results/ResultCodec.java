package dev.gridsearch.operator.results;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compact JSON for records in a ConfigMap: one key per trial index, and one per point ({@code
 * point-<p>}) in the flat layout of scikit-learn's cv_results_ ({@link PointRecord#cvRow()}).
 */
public final class ResultCodec {
  private static final Pattern SPLIT = Pattern.compile("split([0-9]+)_test_(.+)");
  private static final String[] STATS = {"mean", "std", "stderr", "median", "min", "max", "n"};

  private final ObjectMapper mapper =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  public String encode(ResultRecord record) {
    try {
      return mapper.writeValueAsString(record);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a record is always serialisable", e);
    }
  }

  /** Empty when the text is not a record (a hand-edited ConfigMap must not stop the search). */
  public Optional<ResultRecord> decode(String json) {
    try {
      return Optional.ofNullable(mapper.readValue(json, ResultRecord.class));
    } catch (JsonProcessingException | RuntimeException e) {
      return Optional.empty();
    }
  }

  public String encodePoint(PointRecord record) {
    try {
      return mapper.writeValueAsString(record.cvRow());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a point record is always serialisable", e);
    }
  }

  /** Empty when the text is not a point record (a hand-edited ConfigMap must not stop a search). */
  public Optional<PointRecord> decodePoint(String json) {
    try {
      JsonNode row = mapper.readTree(json);
      if (row == null || !row.isObject() || !row.has("point") || !row.has("state")) {
        return Optional.empty();
      }
      Map<String, String> params = new LinkedHashMap<>();
      row.path("params")
          .fields()
          .forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
      Map<String, Map<String, Double>> byMetric = new LinkedHashMap<>();
      Map<String, SortedMap<Integer, Double>> splits = new LinkedHashMap<>();
      row.fields()
          .forEachRemaining(
              e -> {
                String key = e.getKey();
                Matcher split = SPLIT.matcher(key);
                if (split.matches()) {
                  splits
                      .computeIfAbsent(split.group(2), m -> new TreeMap<>())
                      .put(Integer.parseInt(split.group(1)), e.getValue().asDouble());
                  return;
                }
                for (String stat : STATS) {
                  String prefix = stat + "_test_";
                  if (key.startsWith(prefix)) {
                    byMetric
                        .computeIfAbsent(key.substring(prefix.length()), m -> new HashMap<>())
                        .put(stat, e.getValue().asDouble());
                    return;
                  }
                }
              });
      Map<String, MetricStats> metrics = new LinkedHashMap<>();
      byMetric.forEach((m, s) -> metrics.put(m, stats(s)));
      return Optional.of(
          new PointRecord(
              row.get("point").asLong(),
              PointState.valueOf(row.get("state").asText()),
              params,
              row.path("trials").asInt(),
              row.path("succeeded").asInt(),
              row.hasNonNull("value") ? row.get("value").asDouble() : null,
              row.hasNonNull("reason") ? row.get("reason").asText() : null,
              metrics,
              splits,
              row.hasNonNull("mean_trial_seconds")
                  ? row.get("mean_trial_seconds").asDouble()
                  : null,
              row.hasNonNull("std_trial_seconds")
                  ? row.get("std_trial_seconds").asDouble()
                  : null));
    } catch (JsonProcessingException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static MetricStats stats(Map<String, Double> s) {
    return new MetricStats(
        s.getOrDefault("n", 0.0).intValue(),
        s.getOrDefault("mean", Double.NaN),
        s.getOrDefault("std", Double.NaN),
        s.getOrDefault("stderr", Double.NaN),
        s.getOrDefault("median", Double.NaN),
        s.getOrDefault("min", Double.NaN),
        s.getOrDefault("max", Double.NaN));
  }
}
