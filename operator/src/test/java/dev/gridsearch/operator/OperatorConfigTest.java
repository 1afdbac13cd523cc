package dev.gridsearch.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gridsearch.operator.OperatorConfig.LogFormat;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OperatorConfigTest {
  @Test
  void defaultsOutsideAPod() {
    OperatorConfig c = OperatorConfig.from(Map.of(), new String[0]);
    assertThat(c)
        .isEqualTo(
            new OperatorConfig(
                Set.of(), 50, 8080, "info", LogFormat.text, "default", "gridsearch-operator", ""));
  }

  @Test
  void environmentAsTheChartSetsIt() {
    OperatorConfig c =
        OperatorConfig.from(
            Map.of(
                "GRIDSEARCH_WATCH_NAMESPACES",
                "a, b",
                "GRIDSEARCH_JOB_CREATE_RATE",
                "5",
                "GRIDSEARCH_HTTP_PORT",
                "9090",
                "GRIDSEARCH_LOG_LEVEL",
                "DEBUG",
                "GRIDSEARCH_LOG_FORMAT",
                "json",
                "POD_NAMESPACE",
                "gridsearch-system",
                "POD_NAME",
                "op-1"),
            new String[0]);
    assertThat(c)
        .isEqualTo(
            new OperatorConfig(
                Set.of("a", "b"),
                5,
                9090,
                "debug",
                LogFormat.json,
                "gridsearch-system",
                "gridsearch-operator",
                "op-1"));
  }

  @Test
  void flagsWinOverTheEnvironment() {
    OperatorConfig c =
        OperatorConfig.from(
            Map.of("GRIDSEARCH_LOG_FORMAT", "json", "POD_NAMESPACE", "x"),
            new String[] {
              "--log-format=text", "--lease-namespace=y", "--identity=me", "--lease-name=l"
            });
    assertThat(c.logFormat()).isEqualTo(LogFormat.text);
    assertThat(c.leaseNamespace()).isEqualTo("y");
    assertThat(c.identity()).isEqualTo("me");
    assertThat(c.leaseName()).isEqualTo("l");
  }

  @Test
  void refusesBadValuesNamingTheSetting() {
    assertThatThrownBy(
            () -> OperatorConfig.from(Map.of("GRIDSEARCH_LOG_FORMAT", "xml"), new String[0]))
        .hasMessageContaining("GRIDSEARCH_LOG_FORMAT")
        .hasMessageContaining("xml");
    assertThatThrownBy(
            () -> OperatorConfig.from(Map.of("GRIDSEARCH_LOG_LEVEL", "loud"), new String[0]))
        .hasMessageContaining("GRIDSEARCH_LOG_LEVEL");
    assertThatThrownBy(() -> OperatorConfig.from(Map.of(), new String[] {"--job-create-rate=0"}))
        .hasMessageContaining("job-create-rate");
    assertThatThrownBy(() -> OperatorConfig.from(Map.of(), new String[] {"--http-port=70000"}))
        .hasMessageContaining("http-port");
  }
}
