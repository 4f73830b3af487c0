package io.inboard.mesh.telemetry.internal.tracing;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;

/**
 * The exporter behind a mesh's one batch processor, replaced when the telemetry policy names
 * other collectors; spans queued at the swap go to the new one.
 */
final class SwappableSpanExporter implements SpanExporter {

  private static final SpanExporter NONE = SpanExporter.composite();

  private volatile SpanExporter delegate = NONE;

  /** Puts {@code next} ({@code null} for none) in place and shuts the previous one down. */
  void swap(SpanExporter next) {
    SpanExporter previous = delegate;
    delegate = next == null ? NONE : next;
    if (previous != NONE) {
      previous.flush();
      previous.shutdown();
    }
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    return delegate.export(spans);
  }

  @Override
  public CompletableResultCode flush() {
    return delegate.flush();
  }

  @Override
  public CompletableResultCode shutdown() {
    SpanExporter last = delegate;
    delegate = NONE;
    return last.shutdown();
  }

  @Override
  public String toString() {
    return "SwappableSpanExporter{" + delegate + "}";
  }
}
