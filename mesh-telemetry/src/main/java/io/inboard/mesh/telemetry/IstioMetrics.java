package io.inboard.mesh.telemetry;

import java.util.List;

/**
 * The names Inboard's request metrics carry: Istio's standard metrics, exactly as an Envoy
 * sidecar's {@code /stats/prometheus} shows them, so that dashboards and Kiali read them
 * unchanged. Every request is counted on each side that runs Inboard: by the client with
 * {@code reporter="source"} and by the server's inbound hook with {@code reporter="destination"}.
 *
 * <p>A {@code Telemetry} resource's {@code metrics} overrides change this per side, as in Istio:
 * a disabled metric is not recorded, a {@code REMOVE}d label is left off, an {@code UPSERT}ed
 * label gets a literal or a request header's value ({@code unknown} when the request has no
 * such header), and an {@code UPSERT} of a label not in {@link #LABELS} adds it. Series of one
 * metric may then carry different label sets.
 */
public final class IstioMetrics {

  /** Requests, Prometheus type {@code counter}. */
  public static final String REQUESTS_TOTAL = "istio_requests_total";
  /** Request duration from request start to response end, histogram in milliseconds. */
  public static final String REQUEST_DURATION = "istio_request_duration_milliseconds";
  /** Request size in bytes, histogram; recorded where the data plane knows the size. */
  public static final String REQUEST_BYTES = "istio_request_bytes";
  /** Response size in bytes, histogram; recorded where the data plane knows the size. */
  public static final String RESPONSE_BYTES = "istio_response_bytes";
  /** gRPC messages the client sent, Prometheus type {@code counter}; gRPC requests only. */
  public static final String REQUEST_MESSAGES_TOTAL = "istio_request_messages_total";
  /** gRPC messages the server sent, Prometheus type {@code counter}; gRPC requests only. */
  public static final String RESPONSE_MESSAGES_TOTAL = "istio_response_messages_total";

  /**
   * The labels on every request metric, in Istio's order ({@code istio_stats.cc}). Values:
   * <ul>
   *   <li>{@code reporter}: {@code source} (client) or {@code destination} (server).
   *   <li>{@code source_*} / {@code destination_*} workload, app, version, canonical service
   *       and cluster: the local workload's own labels on its side, the peer's (from
   *       {@code x-envoy-peer-metadata} or {@code x-inboard-peer}) on the other; {@code unknown}
   *       when not known, except {@code *_canonical_revision}, which is then {@code latest}.
   *   <li>{@code *_workload_namespace} of the peer: the namespace in its SPIFFE principal when
   *       there is one, else the peer metadata's.
   *   <li>{@code source_principal}, {@code destination_principal}: SPIFFE IDs from the mTLS
   *       certificates, {@code unknown} on plaintext.
   *   <li>{@code destination_service}: the service's host name
   *       ({@code reviews.default.svc.cluster.local}); on the destination side without one, the
   *       destination's canonical service, as Istio. {@code destination_service_name} is its
   *       first DNS label; {@code destination_service_namespace} its second when the host reads
   *       {@code <name>.<namespace>.svc...}, else the destination workload's namespace.
   *   <li>{@code request_protocol}: {@code http} or {@code grpc}.
   *   <li>{@code response_code}: the HTTP status, {@code 0} when there was no response;
   *       {@code grpc_response_status}: the gRPC status number, empty for HTTP.
   *   <li>{@code response_flags}: Envoy's short flags joined by {@code ,}, {@code -} for none.
   *   <li>{@code connection_security_policy}: {@code mutual_tls} or {@code none} from the
   *       destination, always {@code unknown} from the source.
   * </ul>
   * A Prometheus scrape prints a series' labels in alphabetical order, not in this one.
   */
  public static final List<String> LABELS = List.of("reporter", "source_workload",
      "source_canonical_service", "source_canonical_revision", "source_workload_namespace",
      "source_principal", "source_app", "source_version", "source_cluster",
      "destination_workload", "destination_workload_namespace", "destination_principal",
      "destination_app", "destination_version", "destination_service",
      "destination_service_name", "destination_service_namespace",
      "destination_canonical_service", "destination_canonical_revision", "destination_cluster",
      "request_protocol", "response_code", "grpc_response_status", "response_flags",
      "connection_security_policy");

  /**
   * The bucket boundaries of every Istio histogram, durations (milliseconds) and sizes (bytes)
   * alike: Envoy's defaults, which Istio does not change unless the
   * {@code sidecar.istio.io/statsHistogramBuckets} annotation asks.
   */
  public static final List<Double> BUCKETS = List.of(0.5, 1.0, 5.0, 10.0, 25.0, 50.0, 100.0,
      250.0, 500.0, 1000.0, 2500.0, 5000.0, 10000.0, 30000.0, 60000.0, 300000.0, 600000.0,
      1800000.0, 3600000.0);

  /** The duration buckets in milliseconds: {@link #BUCKETS}. */
  public static final List<Double> DURATION_BUCKETS_MS = BUCKETS;

  /** The size buckets in bytes: {@link #BUCKETS}, as Envoy uses one list for all histograms. */
  public static final List<Double> SIZE_BUCKETS_BYTES = BUCKETS;

  private IstioMetrics() {}
}
