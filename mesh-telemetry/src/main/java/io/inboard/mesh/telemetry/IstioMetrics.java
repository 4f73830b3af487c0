package io.inboard.mesh.telemetry;

import java.util.List;

/**
 * The names Inboard's metrics carry, Istio's standard metrics, so that dashboards and Kiali read
 * them unchanged. Every request is counted on each side that runs Inboard: by the client with
 * {@code reporter="source"} and by the server's inbound hook with {@code reporter="destination"}.
 */
public final class IstioMetrics {

  /** Counter of requests, Prometheus type {@code counter}. */
  public static final String REQUESTS_TOTAL = "istio_requests_total";
  /** Histogram of request durations in milliseconds. */
  public static final String REQUEST_DURATION = "istio_request_duration_milliseconds";
  /** Histogram of request body sizes in bytes, where the data plane knows the size. */
  public static final String REQUEST_BYTES = "istio_request_bytes";
  /** Histogram of response body sizes in bytes, where the data plane knows the size. */
  public static final String RESPONSE_BYTES = "istio_response_bytes";

  /**
   * The labels on every metric, in Istio's names. {@code source_principal} and
   * {@code destination_principal} are SPIFFE IDs proven by mTLS certificates, else
   * {@code unknown}; {@code connection_security_policy} is {@code mutual_tls} or {@code none} on
   * the server side and {@code unknown} on the client side, as in Istio; the other
   * {@code source_*}/{@code destination_*} labels come from the {@code x-inboard-peer} header.
   */
  public static final List<String> LABELS = List.of("reporter", "source_workload",
      "source_workload_namespace", "source_app", "source_version", "source_principal",
      "destination_workload", "destination_workload_namespace", "destination_app",
      "destination_version", "destination_principal", "destination_service",
      "destination_service_name", "destination_service_namespace", "request_protocol",
      "response_code", "grpc_response_status", "response_flags", "connection_security_policy");

  /** Istio's duration buckets, in milliseconds. */
  public static final List<Double> DURATION_BUCKETS_MS = List.of(0.5, 1.0, 5.0, 10.0, 25.0,
      50.0, 100.0, 250.0, 500.0, 1000.0, 2500.0, 5000.0, 10000.0, 30000.0, 60000.0, 300000.0,
      600000.0, 1800000.0, 3600000.0);

  /** Istio's size buckets, in bytes. */
  public static final List<Double> SIZE_BUCKETS_BYTES = List.of(1.0, 10.0, 100.0, 1000.0,
      10000.0, 100000.0, 1000000.0, 10000000.0, 100000000.0, 1000000000.0);

  private IstioMetrics() {}
}
