package io.inboard.mesh.telemetry.internal;

import io.inboard.mesh.api.inbound.InboundRequest;
import io.inboard.mesh.api.internal.telemetry.MeshMetrics;
import io.inboard.mesh.api.internal.telemetry.PeerIdentity;
import io.inboard.mesh.api.internal.telemetry.RequestReport;
import io.inboard.mesh.telemetry.IstioMetrics;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.Meter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records each {@link RequestReport} as Istio's standard metrics on OpenTelemetry instruments.
 * The Prometheus exporter adds the suffixes: counter {@code istio_requests} becomes
 * {@code istio_requests_total}, and unit {@code ms} makes {@code istio_request_duration}
 * {@code istio_request_duration_milliseconds}.
 */
final class IstioRequestRecorder implements MeshMetrics {

  /** Label sets kept ready; past this many distinct ones, new sets are built per request. */
  private static final int MAX_CACHED_LABEL_SETS = 10_000;
  private static final String UNKNOWN = PeerIdentity.UNKNOWN_VALUE;

  private final LongCounter requests;
  private final DoubleHistogram duration;
  private final LongHistogram requestBytes;
  private final LongHistogram responseBytes;
  // A service sees few distinct label sets; building Attributes per request would allocate ~20
  // objects, a cache hit allocates one key.
  private final Map<LabelKey, Attributes> attributes = new ConcurrentHashMap<>();

  IstioRequestRecorder(Meter meter) {
    requests = meter.counterBuilder("istio_requests")
        .setDescription("Requests, counted by the client (source) and the server (destination)")
        .build();
    duration = meter.histogramBuilder("istio_request_duration").setUnit("ms")
        .setDescription("Request duration, from request start to response end")
        .setExplicitBucketBoundariesAdvice(IstioMetrics.DURATION_BUCKETS_MS).build();
    requestBytes = meter.histogramBuilder("istio_request_bytes").setUnit("By").ofLongs()
        .setDescription("Request body size")
        .setExplicitBucketBoundariesAdvice(longs(IstioMetrics.SIZE_BUCKETS_BYTES)).build();
    responseBytes = meter.histogramBuilder("istio_response_bytes").setUnit("By").ofLongs()
        .setDescription("Response body size")
        .setExplicitBucketBoundariesAdvice(longs(IstioMetrics.SIZE_BUCKETS_BYTES)).build();
  }

  @Override
  public void record(RequestReport r) {
    LabelKey key = new LabelKey(r.reporter(), r.protocol(), r.source(), r.destination(),
        r.destinationService(), r.responseCode(), r.grpcStatus(), r.responseFlags(),
        r.sourcePrincipal(), r.destinationPrincipal(), r.connectionSecurityPolicy());
    Attributes a = attributes.get(key);
    if (a == null) {
      a = labels(key);
      if (attributes.size() < MAX_CACHED_LABEL_SETS) {
        attributes.putIfAbsent(key, a);
      }
    }
    requests.add(1, a);
    duration.record(r.durationNanos() / 1_000_000.0, a);
    if (r.requestBytes() >= 0) {
      requestBytes.record(r.requestBytes(), a);
    }
    if (r.responseBytes() >= 0) {
      responseBytes.record(r.responseBytes(), a);
    }
  }

  private static Attributes labels(LabelKey k) {
    String service = k.destinationService();
    String[] parts = service.split("\\.");
    boolean known = !service.equals(UNKNOWN) && !service.isEmpty();
    AttributesBuilder b = Attributes.builder()
        .put("reporter", k.reporter().label())
        .put("source_workload", k.source().workload())
        .put("source_workload_namespace", k.source().namespace())
        .put("source_app", k.source().app())
        .put("source_version", k.source().version())
        .put("source_principal", k.sourcePrincipal())
        .put("destination_workload", k.destination().workload())
        .put("destination_workload_namespace", k.destination().namespace())
        .put("destination_app", k.destination().app())
        .put("destination_version", k.destination().version())
        .put("destination_principal", k.destinationPrincipal())
        .put("destination_service", known ? service : UNKNOWN)
        .put("destination_service_name", known ? parts[0] : UNKNOWN)
        .put("destination_service_namespace", known && parts.length > 1 ? parts[1] : UNKNOWN)
        .put("request_protocol", k.protocol().label())
        .put("response_code", Integer.toString(k.responseCode()))
        .put("grpc_response_status", k.grpcStatus())
        .put("response_flags", k.responseFlags())
        .put("connection_security_policy", k.connectionSecurityPolicy());
    return b.build();
  }

  private static List<Long> longs(List<Double> buckets) {
    return buckets.stream().map(Double::longValue).toList();
  }

  private record LabelKey(RequestReport.Reporter reporter, InboundRequest.Protocol protocol,
      PeerIdentity source, PeerIdentity destination, String destinationService,
      int responseCode, String grpcStatus, String responseFlags, String sourcePrincipal,
      String destinationPrincipal, String connectionSecurityPolicy) {}
}
