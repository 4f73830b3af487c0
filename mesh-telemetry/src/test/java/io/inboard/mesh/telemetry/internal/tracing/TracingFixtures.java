package io.inboard.mesh.telemetry.internal.tracing;

import io.inboard.mesh.api.inbound.InboundRequest.Protocol;
import io.inboard.mesh.api.internal.telemetry.PeerIdentity;
import io.inboard.mesh.api.internal.telemetry.RequestDetails;
import io.inboard.mesh.api.internal.telemetry.RequestReport;
import io.inboard.mesh.api.internal.telemetry.RequestReport.Reporter;
import io.inboard.mesh.api.internal.telemetry.policy.AccessLogRules;
import io.inboard.mesh.api.internal.telemetry.policy.MetricRules;
import io.inboard.mesh.api.internal.telemetry.policy.TelemetryPolicy;
import io.inboard.mesh.api.internal.telemetry.policy.TraceExporter;
import io.inboard.mesh.api.internal.telemetry.policy.TracingRules;
import io.inboard.mesh.api.internal.telemetry.policy.TracingRules.CustomTag;
import java.net.URI;
import java.util.List;
import java.util.Map;

/** Workloads, policies and reports the tracing tests share. */
final class TracingFixtures {

  static final PeerIdentity PRODUCTPAGE = new PeerIdentity("productpage-v1", "default",
      "productpage", "v1", "productpage", "v1", "Kubernetes");
  static final PeerIdentity REVIEWS = new PeerIdentity("reviews-v2", "default", "reviews", "v2",
      "reviews", "v2", "Kubernetes");

  /** A collector the in-memory factory ignores: only that one is named matters. */
  static final TraceExporter ANY_COLLECTOR =
      new TraceExporter("test", TraceExporter.Kind.ZIPKIN, URI.create("http://127.0.0.1:9/"));

  private TracingFixtures() {}

  static TelemetryPolicy policy(double serverPct, double clientPct, List<TraceExporter> to) {
    return policy(new TracingRules(serverPct, false, Map.of()),
        new TracingRules(clientPct, false, Map.of()), to);
  }

  static TelemetryPolicy policy(TracingRules server, TracingRules client,
      List<TraceExporter> to) {
    return new TelemetryPolicy(side(client), side(server), to);
  }

  static TracingRules tags(double pct, Map<String, CustomTag> tags) {
    return new TracingRules(pct, false, tags);
  }

  private static TelemetryPolicy.Side side(TracingRules rules) {
    return new TelemetryPolicy.Side(MetricRules.DEFAULT, rules, AccessLogRules.DEFAULT);
  }

  static RequestReport serverReport(Protocol protocol, int code, String grpcStatus,
      RequestDetails details) {
    return RequestReport.builder(Reporter.DESTINATION, protocol).responseCode(code)
        .grpcStatus(grpcStatus).durationNanos(1_000_000).details(details).build();
  }

  static RequestReport clientReport(Protocol protocol, int code, String grpcStatus,
      RequestDetails details) {
    return RequestReport.builder(Reporter.SOURCE, protocol).responseCode(code)
        .grpcStatus(grpcStatus).durationNanos(1_000_000).details(details).build();
  }

  static RequestDetails httpServerDetails() {
    return RequestDetails.builder().method("GET").path("/reviews/0?verbose=1")
        .protocolVersion("HTTP/1.1").authority("reviews:9080").userAgent("curl/8")
        .requestId("rid-1").forwardedFor("10.1.2.3, 10.9.9.9")
        .upstreamCluster("inbound|9080||").downstreamLocalAddress("127.0.0.1:9080")
        .downstreamRemoteAddress("127.0.0.1:51000").build();
  }

  static RequestDetails httpClientDetails() {
    return RequestDetails.builder().method("GET").path("/reviews/0").protocolVersion("HTTP/1.1")
        .authority("reviews:9080").requestId("rid-1").upstreamHost("127.0.0.1:9080")
        .upstreamCluster("outbound|9080||reviews.default.svc.cluster.local").attempts(2).build();
  }
}
