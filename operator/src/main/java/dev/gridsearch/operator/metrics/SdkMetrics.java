package dev.gridsearch.operator.metrics;

import dev.gridsearch.operator.api.GridSearch;
import dev.gridsearch.operator.metrics.MicrometerGridSearchMetrics.SearchKey;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.javaoperatorsdk.operator.processing.Controller;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.controller.ResourceAction;
import io.javaoperatorsdk.operator.processing.event.source.controller.ResourceEvent;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import java.util.Map;
import java.util.function.Consumer;

/**
 * JOSDK's reconcile metrics (delegated), plus the one callback the domain meters need: a
 * GridSearch's delete event, which drops its per-search gauges (the reconciler has no finalizer, so
 * there is no cleanup call to hook).
 */
public final class SdkMetrics implements Metrics {
  private final Metrics delegate;
  private final MicrometerGridSearchMetrics domain;
  private final Consumer<ResourceID> deleted;

  /**
   * {@code deleted} hears of every deleted GridSearch: JOSDK tells its metrics, and no one else
   * without a finalizer.
   */
  public SdkMetrics(
      Metrics delegate, MicrometerGridSearchMetrics domain, Consumer<ResourceID> deleted) {
    this.delegate = delegate;
    this.domain = domain;
    this.deleted = deleted;
  }

  /**
   * JOSDK registers its meters without descriptions; Prometheus tooling (promtool) flags a missing
   * HELP.
   */
  public static MeterFilter describeSdkMeters() {
    return new MeterFilter() {
      @Override
      public Meter.Id map(Meter.Id id) {
        if (id.getDescription() != null || !id.getName().startsWith("operator.sdk.")) {
          return id;
        }
        return new Meter.Id(
            id.getName(),
            Tags.of(id.getTagsAsIterable()),
            id.getBaseUnit(),
            "Java Operator SDK: "
                + id.getName().substring("operator.sdk.".length()).replace('.', ' '),
            id.getType());
      }
    };
  }

  @Override
  public void receivedEvent(Event event, Map<String, Object> metadata) {
    delegate.receivedEvent(event, metadata);
    if (event instanceof ResourceEvent re
        && re.getAction() == ResourceAction.DELETED
        && re.getResource().map(r -> r instanceof GridSearch).orElse(true)) {
      ResourceID id = event.getRelatedCustomResourceID();
      domain.forget(new SearchKey(id.getNamespace().orElse(""), id.getName()));
      deleted.accept(id);
    }
  }

  @Override
  public void controllerRegistered(Controller<? extends HasMetadata> controller) {
    delegate.controllerRegistered(controller);
  }

  @Override
  public void reconcileCustomResource(
      HasMetadata resource, RetryInfo retryInfo, Map<String, Object> metadata) {
    delegate.reconcileCustomResource(resource, retryInfo, metadata);
  }

  @Override
  public void failedReconciliation(
      HasMetadata resource, Exception exception, Map<String, Object> metadata) {
    delegate.failedReconciliation(resource, exception, metadata);
  }

  @Override
  public void reconciliationExecutionStarted(HasMetadata resource, Map<String, Object> metadata) {
    delegate.reconciliationExecutionStarted(resource, metadata);
  }

  @Override
  public void reconciliationExecutionFinished(HasMetadata resource, Map<String, Object> metadata) {
    delegate.reconciliationExecutionFinished(resource, metadata);
  }

  @Override
  public void cleanupDoneFor(ResourceID resourceID, Map<String, Object> metadata) {
    delegate.cleanupDoneFor(resourceID, metadata);
  }

  @Override
  public void finishedReconciliation(HasMetadata resource, Map<String, Object> metadata) {
    delegate.finishedReconciliation(resource, metadata);
  }

  @Override
  public <T> T timeControllerExecution(ControllerExecution<T> execution) throws Exception {
    return delegate.timeControllerExecution(execution);
  }

  @Override
  public <T extends Map<?, ?>> T monitorSizeOf(T map, String name) {
    return delegate.monitorSizeOf(map, name);
  }
}
