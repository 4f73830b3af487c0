package io.inboard.mesh.controlplane.internal.graph;

import java.util.Map;

/**
 * One element of a Prometheus instant vector, as a query grouped {@code by} labels answers it:
 * the labels and a value (a request rate, or a latency for latency rows).
 *
 * @param labels the grouping labels; a label the telemetry lacks is absent
 * @param value requests per second, or milliseconds for latency rows
 * @param count the requests behind the rate over the window (for scraped counters, the exact
 *     growth; for Prometheus, rate times window)
 */
record TrafficRow(Map<String, String> labels, double value, double count) {
  TrafficRow {
    labels = Map.copyOf(labels);
  }

  /** The label's value, or {@code ""} when absent. */
  String label(String name) {
    return labels.getOrDefault(name, "");
  }
}
