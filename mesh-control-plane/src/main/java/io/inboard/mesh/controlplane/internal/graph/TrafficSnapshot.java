package io.inboard.mesh.controlplane.internal.graph;

import java.util.List;

/**
 * The traffic of one window, as rows in Kiali's order, from either source.
 *
 * @param source {@code scrape} or {@code prometheus}
 * @param requests request-rate rows: destination-reported first, then source-reported, so that
 *     a request both sides report is counted once, from the server's view (Kiali's order)
 * @param security destination-reported rows carrying {@code connection_security_policy}
 * @param latencies p95 rows in milliseconds; rows with {@code reporter="source"} only fill
 *     edges that no other row gives a latency
 * @param problems what could not be read (a workload that did not answer, a failed query)
 */
record TrafficSnapshot(String source, List<TrafficRow> requests, List<TrafficRow> security,
    List<TrafficRow> latencies, List<String> problems) {
  TrafficSnapshot {
    requests = List.copyOf(requests);
    security = List.copyOf(security);
    latencies = List.copyOf(latencies);
    problems = List.copyOf(problems);
  }
}
