package dev.gridsearch.operator.quota;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QuotaHeadroomTest {
  private static final KubernetesSerialization YAML = new KubernetesSerialization();

  private static PodSpec pod(String yaml) {
    return YAML.unmarshal(yaml, PodSpec.class);
  }

  private static ResourceQuota quota(String yaml) {
    return YAML.unmarshal(yaml, ResourceQuota.class);
  }

  private static BigDecimal n(String v) {
    return new BigDecimal(v);
  }

  @Test
  void initContainersCountByTheirMaximumAndContainersByTheirSumPlusOverhead() {
    PodDemand demand =
        PodDemand.of(
            pod(
                """
        containers:
          - {name: a, resources: {requests: {cpu: 500m, memory: 1Gi}, limits: {memory: 2Gi}}}
          - {name: b, resources: {requests: {cpu: 250m, nvidia.com/gpu: '1'}, limits: {nvidia.com/gpu: '1'}}}
        initContainers:
          - {name: i1, resources: {requests: {cpu: '2'}}}
          - {name: i2, resources: {requests: {memory: 512Mi}}}
        overhead: {cpu: 100m}
        """),
            List.of());
    assertThat(demand.requests().get("cpu")).isEqualByComparingTo("2.1");
    assertThat(demand.requests().get("memory")).isEqualByComparingTo(n("1073741824"));
    assertThat(demand.requests().get("nvidia.com/gpu")).isEqualByComparingTo("1");
    assertThat(demand.limits().get("memory")).isEqualByComparingTo(n("2147483648"));
    assertThat(demand.bestEffort()).isFalse();
  }

  @Test
  void limitRangeDefaultsFillWhatTheTemplateLeavesOut() {
    LimitRange range =
        YAML.unmarshal(
            """
        apiVersion: v1
        kind: LimitRange
        metadata: {name: d}
        spec:
          limits:
            - type: Container
              default: {cpu: '1', memory: 1Gi}
              defaultRequest: {cpu: 500m}
        """,
            LimitRange.class);
    PodDemand bare = PodDemand.of(pod("containers: [{name: a}]"), List.of(range));
    assertThat(bare.requests().get("cpu")).isEqualByComparingTo("0.5");
    assertThat(bare.requests().get("memory"))
        .as("no defaultRequest: the default limit is the request")
        .isEqualByComparingTo(n("1073741824"));
    assertThat(bare.limits().get("cpu")).isEqualByComparingTo("1");
    PodDemand limitOnly =
        PodDemand.of(
            pod("containers: [{name: a, resources: {limits: {cpu: '3'}}}]"), List.of(range));
    assertThat(limitOnly.requests().get("cpu"))
        .as("a limit without a request is the request")
        .isEqualByComparingTo("3");
  }

  @Test
  void headroomIsHardMinusUsedMinusWhatIsNotReflectedYet() {
    ResourceQuota q =
        quota(
            """
        metadata: {name: team}
        spec: {hard: {requests.cpu: '10', pods: '20', count/jobs.batch: '50'}}
        status:
          hard: {requests.cpu: '10', pods: '20', count/jobs.batch: '50'}
          used: {requests.cpu: '4', pods: '4', count/jobs.batch: '4'}
        """);
    PodDemand demand =
        PodDemand.of(pod("containers: [{name: a, resources: {requests: {cpu: '2'}}}]"), List.of());
    QuotaHeadroom headroom = new QuotaHeadroom(List.of(q));
    assertThat(headroom.fit(demand, 1, QuotaHeadroom.Footprint.NONE, 10).trials()).isEqualTo(3);
    var pending =
        new QuotaHeadroom.Footprint(Map.of(), Map.of("requests.cpu", n("2"), "pods", n("1")));
    QuotaHeadroom.Fit fit = headroom.fit(demand, 1, pending, 10);
    assertThat(fit.trials()).isEqualTo(2);
    assertThat(fit.shortage())
        .get()
        .extracting(QuotaHeadroom.Shortage::describe)
        .isEqualTo("ResourceQuota team: requests.cpu needs 2 per trial, 4 free");
    // A quota status that lags behind pods we already see: our own footprint wins.
    var ahead = new QuotaHeadroom.Footprint(Map.of("requests.cpu", n("8")), Map.of());
    assertThat(headroom.fit(demand, 1, ahead, 10).trials()).isEqualTo(1);
    assertThat(headroom.fit(demand, 1, QuotaHeadroom.Footprint.NONE, 2).shortage()).isEmpty();
  }

  @Test
  void scopesDecideWhichQuotasCount() {
    ResourceQuota bestEffortOnly =
        quota(
            """
        metadata: {name: be}
        spec: {hard: {pods: '0'}, scopes: [BestEffort]}
        status: {hard: {pods: '0'}, used: {pods: '0'}}
        """);
    ResourceQuota highPriority =
        quota(
            """
        metadata: {name: hi}
        spec:
          hard: {pods: '0'}
          scopeSelector: {matchExpressions: [{scopeName: PriorityClass, operator: In, values: [high]}]}
        status: {hard: {pods: '0'}, used: {pods: '0'}}
        """);
    PodDemand burstable =
        PodDemand.of(pod("containers: [{name: a, resources: {requests: {cpu: '1'}}}]"), List.of());
    PodDemand bestEffort = PodDemand.of(pod("containers: [{name: a}]"), List.of());
    PodDemand high =
        PodDemand.of(
            pod(
                "priorityClassName: high\ncontainers: [{name: a, resources: {requests: {cpu: '1'}}}]"),
            List.of());
    QuotaHeadroom headroom = new QuotaHeadroom(List.of(bestEffortOnly, highPriority));
    assertThat(headroom.fit(burstable, 1, QuotaHeadroom.Footprint.NONE, 5).trials()).isEqualTo(5);
    assertThat(headroom.fit(bestEffort, 1, QuotaHeadroom.Footprint.NONE, 5).trials()).isZero();
    assertThat(headroom.fit(high, 1, QuotaHeadroom.Footprint.NONE, 5).trials()).isZero();
  }

  @Test
  void aTrialAboveAHardLimitNeverFits() {
    ResourceQuota gpu =
        quota(
            """
        metadata: {name: gpus}
        spec: {hard: {requests.nvidia.com/gpu: '2'}}
        """);
    PodDemand four =
        PodDemand.of(
            pod("containers: [{name: a, resources: {requests: {nvidia.com/gpu: '4'}}}]"),
            List.of());
    assertThat(new QuotaHeadroom(List.of(gpu)).neverFits(four, 1))
        .get()
        .extracting(QuotaHeadroom.Shortage::resource)
        .isEqualTo("requests.nvidia.com/gpu");
    PodDemand two =
        PodDemand.of(
            pod("containers: [{name: a, resources: {requests: {nvidia.com/gpu: '2'}}}]"),
            List.of());
    assertThat(new QuotaHeadroom(List.of(gpu)).neverFits(two, 1)).isEmpty();
    assertThat(new QuotaHeadroom(List.of(gpu)).neverFits(two, 2)).isPresent();
  }
}
