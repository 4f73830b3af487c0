package io.inboard.mesh.controlplane.internal.graph;

import java.time.Duration;

/**
 * The PromQL Kiali's workload graph asks for one namespace {@code N} over {@code D} seconds
 * ({@code graph/telemetry/istio/istio.go} and the {@code securityPolicy} and
 * {@code responseTime} appenders), grouped by Kiali's label set {@link #G}.
 */
final class KialiQueries {
  private KialiQueries() {}

  /** The labels Kiali groups request rates by. */
  static final String G = "source_cluster,source_workload_namespace,source_workload,"
      + "source_canonical_service,source_canonical_revision,destination_cluster,"
      + "destination_service_namespace,destination_service,destination_service_name,"
      + "destination_workload_namespace,destination_workload,destination_canonical_service,"
      + "destination_canonical_revision,request_protocol,response_code,grpc_response_status,"
      + "response_flags";

  /** {@link #G} without the per-request labels: what identifies an edge's two ends. */
  static final String G_ENDS = "source_cluster,source_workload_namespace,source_workload,"
      + "source_canonical_service,source_canonical_revision,destination_cluster,"
      + "destination_service_namespace,destination_service,destination_service_name,"
      + "destination_workload_namespace,destination_workload,destination_canonical_service,"
      + "destination_canonical_revision";

  /** Requests into {@code N} that failed before reaching a destination workload. */
  static String unservedIncoming(String namespace, Duration window) {
    return "sum(rate(istio_requests_total{reporter=\"source\",source_workload_namespace!=\""
        + namespace + "\",destination_workload_namespace=\"unknown\","
        + "destination_workload=\"unknown\",destination_service=~\"^.+\\\\." + namespace
        + "\\\\..+$\"}[" + seconds(window) + "s])) by (" + G + ") > 0";
  }

  /** Requests into the workloads of {@code N}, as their servers report them. */
  static String incoming(String namespace, Duration window) {
    return "sum(rate(istio_requests_total{reporter=\"destination\","
        + "destination_workload_namespace=\"" + namespace + "\"}[" + seconds(window)
        + "s])) by (" + G + ") > 0";
  }

  /** Requests out of the workloads of {@code N}, as their clients report them. */
  static String outgoing(String namespace, Duration window) {
    return "sum(rate(istio_requests_total{reporter=\"source\",source_workload_namespace=\""
        + namespace + "\"}[" + seconds(window) + "s])) by (" + G + ") > 0";
  }

  /** The server-reported requests into {@code N} by connection security policy (mTLS share). */
  static String security(String namespace, Duration window) {
    return "sum(rate(istio_requests_total{reporter=\"destination\","
        + "destination_workload_namespace=\"" + namespace + "\"}[" + seconds(window)
        + "s])) by (" + G + ",source_principal,destination_principal,"
        + "connection_security_policy) > 0";
  }

  /** The 95th percentile of server-reported request duration into {@code N}, per edge. */
  static String responseTime(String namespace, Duration window) {
    return "histogram_quantile(0.95, sum(rate(istio_request_duration_milliseconds_bucket{"
        + "reporter=\"destination\",destination_service_namespace=\"" + namespace + "\"}["
        + seconds(window) + "s])) by (le," + G_ENDS + ")) > 0";
  }

  private static long seconds(Duration window) {
    return window.toSeconds();
  }
}
