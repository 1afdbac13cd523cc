package dev.gridsearch.operator.results;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;

/** Compact JSON for records in a ConfigMap: one key per trial index. */
public final class ResultCodec {
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
}
