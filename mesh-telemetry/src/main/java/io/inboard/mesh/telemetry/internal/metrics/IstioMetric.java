package io.inboard.mesh.telemetry.internal.metrics;

import io.inboard.mesh.telemetry.IstioMetrics;

/** Istio's request metrics, by the Prometheus name a policy's overrides use. */
enum IstioMetric {
  REQUESTS(IstioMetrics.REQUESTS_TOTAL),
  DURATION(IstioMetrics.REQUEST_DURATION),
  REQUEST_BYTES(IstioMetrics.REQUEST_BYTES),
  RESPONSE_BYTES(IstioMetrics.RESPONSE_BYTES),
  REQUEST_MESSAGES(IstioMetrics.REQUEST_MESSAGES_TOTAL),
  RESPONSE_MESSAGES(IstioMetrics.RESPONSE_MESSAGES_TOTAL);

  static final IstioMetric[] ALL = values();

  private final String prometheusName;

  IstioMetric(String prometheusName) {
    this.prometheusName = prometheusName;
  }

  /** The name in a scrape and in {@code MetricRules}. */
  String prometheusName() {
    return prometheusName;
  }
}
