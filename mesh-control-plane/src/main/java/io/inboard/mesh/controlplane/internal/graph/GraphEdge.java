package io.inboard.mesh.controlplane.internal.graph;

import java.util.Map;

/**
 * Requests from one node to another over one protocol, in the window.
 *
 * @param rps requests per second
 * @param requests requests in the window (exact when scraped; rate times window from Prometheus)
 * @param errorPercent share of requests with no response, a 5xx, or a gRPC status other than 0
 * @param p95Ms the 95th percentile of request duration in milliseconds; {@code NaN} when unknown
 * @param mtlsPercent the share of server-reported requests over mutual TLS; {@code NaN} when no
 *     server reported them
 * @param responses per code (as {@link Health#code} gives it) the rate and the rate per
 *     {@code response_flags}
 */
record GraphEdge(String source, String target, String protocol, double rps, double requests,
    double errorPercent, double p95Ms, double mtlsPercent, Health health,
    Map<String, CodeTraffic> responses) {

  GraphEdge {
    responses = Map.copyOf(responses);
  }

  /** {@code <source> -> <target>}, as the page's {@code data-edge} attribute. */
  String id() {
    return source + " -> " + target;
  }

  /** The requests answered with one code: their rate, and the rate per flags value. */
  record CodeTraffic(double rps, Map<String, Double> flags) {
    CodeTraffic {
      flags = Map.copyOf(flags);
    }
  }
}
