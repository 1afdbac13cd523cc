package dev.gridsearch.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.gridsearch.operator.api.GridSearch;
import dev.gridsearch.operator.api.GridSearchStatus.Phase;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input catalogue: every manifest in {@code src/test/resources/bad-input/} is applied to
 * the real API server. Each names its fate in annotations: {@code test.gridsearch.dev/expect} is
 * {@code Admission} (refused with a 422 whose message contains {@code test.gridsearch.dev/message})
 * or {@code Invalid} (accepted, then the operator reports phase Failed, condition Failed/Invalid
 * with that message, and creates no Job). One operator process serves them all and must survive
 * every one.
 */
@ExtendWith(ClusterExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BadInputIT {
  static final String EXPECT = "test.gridsearch.dev/expect";
  static final String MESSAGE = "test.gridsearch.dev/message";

  private final ClusterNamespace ns;
  private final Searches searches;
  private OperatorProcess operator;
  private JobWatch jobs;
  private final AtomicInteger refused = new AtomicInteger();
  private final AtomicInteger invalid = new AtomicInteger();

  BadInputIT(ClusterNamespace ns) {
    this.ns = ns;
    this.searches = new Searches(ns);
  }

  @BeforeAll
  void start() throws IOException {
    jobs = new JobWatch(ns);
    operator = new OperatorProcess(ns).start();
  }

  @AfterAll
  void stop() throws Exception {
    jobs.close();
    operator.close();
    System.out.printf(
        "[BadInputIT] %d bad inputs: %d refused at admission, %d reported Failed/Invalid%n",
        refused.get() + invalid.get(), refused.get(), invalid.get());
  }

  static Stream<Path> catalogue() throws IOException, URISyntaxException {
    Path dir = Path.of(Objects.requireNonNull(BadInputIT.class.getResource("/bad-input")).toURI());
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> all = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
      assertThat(all)
          .as("the catalogue holds at least 40 bad inputs")
          .hasSizeGreaterThanOrEqualTo(40);
      return all.stream();
    }
  }

  @Order(1)
  @ParameterizedTest(name = "{0}")
  @MethodSource("catalogue")
  void eachBadInputIsRefusedOrReportedInvalid(Path file) throws IOException {
    GenericKubernetesResource manifest =
        ns.client()
            .getKubernetesSerialization()
            .unmarshal(Files.readString(file), GenericKubernetesResource.class);
    Map<String, String> annotations = manifest.getMetadata().getAnnotations();
    String expect = annotations.get(EXPECT);
    String message = annotations.get(MESSAGE);
    assertThat(message).as("%s names its expected message", file.getFileName()).isNotBlank();
    String name = manifest.getMetadata().getName();

    switch (expect) {
      case "Admission" -> {
        assertThatThrownBy(() -> ns.client().resource(manifest).inNamespace(ns.name()).create())
            .as("%s is refused at admission", file.getFileName())
            .isInstanceOf(KubernetesClientException.class)
            .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(422))
            .hasMessageContaining(message);
        refused.incrementAndGet();
      }
      case "Invalid" -> {
        ns.client().resource(manifest).inNamespace(ns.name()).create();
        GridSearch gs =
            await()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .until(
                    () -> searches.get(name),
                    s ->
                        s.getStatus() != null
                            && s.getStatus().phase() != null
                            && s.getStatus().phase() != Phase.Pending);
        Condition failed =
            gs.getStatus().conditions().stream()
                .filter(c -> "Failed".equals(c.getType()))
                .findFirst()
                .orElseThrow(
                    () ->
                        new AssertionError(
                            file.getFileName() + ": no Failed condition in " + gs.getStatus()));
        assertThat(gs.getStatus().phase())
            .as("%s phase", file.getFileName())
            .isEqualTo(Phase.Failed);
        assertThat(failed.getStatus() + "/" + failed.getReason()).isEqualTo("True/Invalid");
        assertThat(failed.getMessage())
            .as("%s Failed/Invalid message", file.getFileName())
            .contains(message);
        assertThat(
                ns.client()
                    .batch()
                    .v1()
                    .jobs()
                    .inNamespace(ns.name())
                    .withLabel(GridSearch.NAME_LABEL, name)
                    .list()
                    .getItems())
            .as("%s: Jobs of an invalid search", file.getFileName())
            .isEmpty();
        invalid.incrementAndGet();
      }
      default ->
          throw new AssertionError(
              file.getFileName() + ": " + EXPECT + " must be Admission or Invalid, not " + expect);
    }
  }

  @Order(2)
  @Test
  void theOperatorSurvivedEveryInputCreatedNoJobAndStillWorks() throws IOException {
    assertThat(jobs.creations()).as("Jobs created for bad inputs").isEmpty();
    assertThat(operator.isAlive()).as("operator alive; log:\n%s", operator.log()).isTrue();
    assertThat(operator.starts()).as("operator starts").isEqualTo(1);
    // Alive is not enough: a good search after all the bad ones still runs to the end.
    searches.apply(GridSearchIT.sweep("good-after-bad", "parallelism: 4", GridSearchIT.ACC));
    GridSearch done = searches.awaitFinished("good-after-bad", Duration.ofMinutes(2));
    assertThat(done.getStatus().phase()).isEqualTo(Phase.Succeeded);
    assertThat(done.getStatus().progress()).isEqualTo("24/24");
    assertThat(operator.log())
        .as("operator log")
        .doesNotContain("OutOfMemoryError", "StackOverflowError");
  }
}
