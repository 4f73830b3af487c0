package io.inboard.mesh.controlplane.internal.graph;

import java.util.Map;

/**
 * One line of the Prometheus text format: a metric name, its labels and its value.
 *
 * @param name such as {@code istio_requests_total}
 * @param labels label name to value; unescaped
 * @param value the sample's value ({@code NaN} and infinities included)
 */
record MetricSample(String name, Map<String, String> labels, double value) {
  MetricSample {
    labels = Map.copyOf(labels);
  }
}
