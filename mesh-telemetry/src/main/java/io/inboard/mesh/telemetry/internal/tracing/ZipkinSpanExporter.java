package io.inboard.mesh.telemetry.internal.tracing;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Posts spans as Zipkin v2 JSON ({@link ZipkinJson}) to a collector's
 * {@code /api/v2/spans}, on the JDK's HttpClient. OpenTelemetry's own Zipkin exporter is no
 * longer published for the SDK version Inboard uses. A failed post drops its batch, as the
 * SDK's exporters do; the first failure after a success is logged as a warning.
 */
final class ZipkinSpanExporter implements SpanExporter {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final URI endpoint;
  private final HttpClient http;
  private final AtomicBoolean failing = new AtomicBoolean();
  private volatile boolean shutdown;

  ZipkinSpanExporter(URI endpoint) {
    this.endpoint = endpoint;
    this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    if (shutdown) {
      return CompletableResultCode.ofFailure();
    }
    if (spans.isEmpty()) {
      return CompletableResultCode.ofSuccess();
    }
    HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(TIMEOUT)
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(ZipkinJson.encode(spans))).build();
    CompletableResultCode result = new CompletableResultCode();
    http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> {
      if (e == null && r.statusCode() / 100 == 2) {
        if (failing.compareAndSet(true, false)) {
          OtelMeshTracing.LOG.info("Zipkin collector {} accepts spans again", endpoint);
        }
        result.succeed();
        return;
      }
      String why = e != null ? e.toString() : "HTTP " + r.statusCode();
      if (failing.compareAndSet(false, true)) {
        OtelMeshTracing.LOG.warn("Zipkin collector {} rejected {} spans: {} (spans are dropped"
            + " until it accepts them)", endpoint, spans.size(), why);
      }
      result.fail();
    });
    return result;
  }

  @Override
  public CompletableResultCode flush() {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode shutdown() {
    shutdown = true;
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public String toString() {
    return "ZipkinSpanExporter{" + endpoint + "}";
  }
}
