package dev.gridsearch.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** A test class with its own namespace and one operator process watching it for the whole class. */
@ExtendWith(ClusterExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class WithOperator {
  protected final ClusterNamespace ns;
  protected final Searches searches;
  protected OperatorProcess operator;

  WithOperator(ClusterNamespace ns) {
    this.ns = ns;
    this.searches = new Searches(ns);
  }

  @BeforeAll
  void startOperator() throws Exception {
    operator = new OperatorProcess(ns).start();
  }

  @AfterAll
  void stopOperator() throws Exception {
    boolean alive = operator.isAlive();
    String log = operator.log();
    operator.close();
    assertThat(alive).as("the operator was still running at the end").isTrue();
    assertThat(operator.starts()).as("the operator was never restarted").isEqualTo(1);
    assertThat(log).as("operator log").doesNotContain("OutOfMemoryError");
  }
}
