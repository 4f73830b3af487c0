package io.inboard.mesh.controlplane.internal.graph;

import java.util.Map;

/**
 * What one scrape of one workload returned: the value of each series at a time.
 *
 * @param atMillis when the answer arrived, in epoch milliseconds
 * @param values series (name and labels) to value
 */
record Scrape(long atMillis, Map<Series, Double> values) {
  Scrape {
    values = Map.copyOf(values);
  }

  /** A time series: a metric name and its labels. */
  record Series(String name, Map<String, String> labels) {
    Series {
      labels = Map.copyOf(labels);
    }
  }
}
