package io.inboard.mesh.telemetry;

/**
 * The mesh-health metrics a workload's {@code /stats/prometheus} shows beside
 * {@link IstioMetrics}, named as an Envoy sidecar's scrape names them, so that Envoy dashboards
 * and alerts read them unchanged.
 *
 * <p><b>Per upstream cluster</b>, label {@code cluster_name} (Istio's cluster name, such as
 * {@code outbound|9080|v1|reviews.default.svc.cluster.local}):
 * <ul>
 *   <li>counters, Prometheus type {@code counter}, printed under Envoy's exact names (no
 *       {@code _total} is added): {@link #UPSTREAM_RQ_RETRY},
 *       {@link #UPSTREAM_RQ_RETRY_LIMIT_EXCEEDED}, {@link #UPSTREAM_RQ_PENDING_OVERFLOW},
 *       {@link #OUTLIER_DETECTION_EJECTIONS_ENFORCED_TOTAL}, {@link #UPSTREAM_RQ_TIMEOUT}. A
 *       cluster's series appears at its first count (Envoy shows zeros for every cluster it
 *       knows; Inboard does not know a cluster before it is used).
 *   <li>gauges, read when scraped: {@link #CIRCUIT_BREAKERS_DEFAULT_RQ_OPEN},
 *       {@link #OUTLIER_DETECTION_EJECTIONS_ACTIVE}, {@link #UPSTREAM_RQ_ACTIVE}, for the
 *       clusters a data plane registered.
 * </ul>
 *
 * <p><b>xDS state</b>, Inboard's own gauge {@link #XDS_RESOURCES}{@code {type, state}}: read when
 * scraped from the xDS sections of the workload's {@code /debug/config_dump}, the number of
 * distinct subscribed resources per type ({@code listener}, {@code route}, {@code cluster},
 * {@code endpoint}, else the type's lower-case message name) and state ({@code acked},
 * {@code nacked}, {@code requested}, {@code does_not_exist}, always printed per type seen; other
 * states of grpc-xds, such as {@code timeout}, when present). A resource that two xDS clients
 * of the workload hold in the same state counts once. Beside it Envoy's
 * {@link #CONTROL_PLANE_CONNECTED_STATE}: 1 while every xDS stream of the workload to its
 * control plane is up, 0 while one is down (as grpc-xds reports it), absent without xDS.
 */
public final class EnvoyStats {

  /** Prefix of Envoy's per-cluster stats. */
  public static final String CLUSTER_PREFIX = "envoy_cluster_";
  /** The per-cluster label. */
  public static final String CLUSTER_NAME_LABEL = "cluster_name";

  /** Retries sent, counter. */
  public static final String UPSTREAM_RQ_RETRY = "envoy_cluster_upstream_rq_retry";
  /** Calls that ran out of retries, counter. */
  public static final String UPSTREAM_RQ_RETRY_LIMIT_EXCEEDED =
      "envoy_cluster_upstream_rq_retry_limit_exceeded";
  /** Calls shed by a circuit breaker, counter. */
  public static final String UPSTREAM_RQ_PENDING_OVERFLOW =
      "envoy_cluster_upstream_rq_pending_overflow";
  /** Endpoint ejections by outlier detection, counter. */
  public static final String OUTLIER_DETECTION_EJECTIONS_ENFORCED_TOTAL =
      "envoy_cluster_outlier_detection_ejections_enforced_total";
  /** Calls that timed out, counter. */
  public static final String UPSTREAM_RQ_TIMEOUT = "envoy_cluster_upstream_rq_timeout";

  /** 1 while the cluster's request limit is reached, else 0; gauge. */
  public static final String CIRCUIT_BREAKERS_DEFAULT_RQ_OPEN =
      "envoy_cluster_circuit_breakers_default_rq_open";
  /** Endpoints ejected now; gauge. */
  public static final String OUTLIER_DETECTION_EJECTIONS_ACTIVE =
      "envoy_cluster_outlier_detection_ejections_active";
  /** Requests in flight; gauge. */
  public static final String UPSTREAM_RQ_ACTIVE = "envoy_cluster_upstream_rq_active";

  /** Subscribed xDS resources by {@code type} and {@code state}; gauge. */
  public static final String XDS_RESOURCES = "inboard_xds_resources";

  /** 1 while the workload's xDS streams are up, else 0; gauge. */
  public static final String CONTROL_PLANE_CONNECTED_STATE =
      "envoy_control_plane_connected_state";

  private EnvoyStats() {}
}
