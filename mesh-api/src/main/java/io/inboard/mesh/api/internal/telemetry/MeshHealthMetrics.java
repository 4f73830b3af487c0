package io.inboard.mesh.api.internal.telemetry;

import java.util.function.LongSupplier;

/**
 * The mesh's own health beside Istio's request metrics, in Envoy's names so that existing
 * dashboards read them: per upstream cluster (Istio's name, such as
 * {@code outbound|9080|v1|reviews.default.svc.cluster.local}) a label {@code cluster_name}.
 * Called on request paths: cheap, non-blocking, never throwing.
 */
public interface MeshHealthMetrics {

  /** Drops everything. */
  MeshHealthMetrics NOOP = new MeshHealthMetrics() {
    @Override
    public void count(Counter counter, String cluster) {}

    @Override
    public AutoCloseable gauge(Gauge gauge, String cluster, LongSupplier value) {
      return () -> { };
    }
  };

  /** Counters, each exported as {@code envoy_cluster_<name>{cluster_name=...}}. */
  enum Counter {
    /** A retry was sent: {@code envoy_cluster_upstream_rq_retry}. */
    RETRY("upstream_rq_retry"),
    /** A call ran out of retries: {@code envoy_cluster_upstream_rq_retry_limit_exceeded}. */
    RETRY_LIMIT_EXCEEDED("upstream_rq_retry_limit_exceeded"),
    /** A call was shed by a circuit breaker: {@code envoy_cluster_upstream_rq_pending_overflow}. */
    OVERFLOW("upstream_rq_pending_overflow"),
    /** An endpoint was ejected: {@code envoy_cluster_outlier_detection_ejections_enforced_total}. */
    EJECTION("outlier_detection_ejections_enforced_total"),
    /** A call timed out: {@code envoy_cluster_upstream_rq_timeout}. */
    TIMEOUT("upstream_rq_timeout");

    private final String stat;

    Counter(String stat) {
      this.stat = stat;
    }

    /** Envoy's stat name, without the {@code envoy_cluster_} prefix. */
    public String stat() {
      return stat;
    }
  }

  /** Gauges, read at scrape time, exported as {@code envoy_cluster_<name>{cluster_name=...}}. */
  enum Gauge {
    /** 1 while the cluster's request limit is reached: {@code circuit_breakers_default_rq_open}. */
    CIRCUIT_OPEN("circuit_breakers_default_rq_open"),
    /** Endpoints ejected now: {@code outlier_detection_ejections_active}. */
    EJECTIONS_ACTIVE("outlier_detection_ejections_active"),
    /** Requests in flight: {@code upstream_rq_active}. */
    ACTIVE_REQUESTS("upstream_rq_active");

    private final String stat;

    Gauge(String stat) {
      this.stat = stat;
    }

    /** Envoy's stat name, without the {@code envoy_cluster_} prefix. */
    public String stat() {
      return stat;
    }
  }

  /** Adds one to {@code counter} for {@code cluster}. */
  void count(Counter counter, String cluster);

  /**
   * Reports {@code value} as {@code gauge} for {@code cluster} until the returned handle is
   * closed (a later registration for the same gauge and cluster replaces it).
   */
  AutoCloseable gauge(Gauge gauge, String cluster, LongSupplier value);
}
