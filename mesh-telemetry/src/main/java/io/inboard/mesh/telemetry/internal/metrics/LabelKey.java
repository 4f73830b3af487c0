package io.inboard.mesh.telemetry.internal.metrics;

import io.inboard.mesh.api.inbound.InboundRequest.Protocol;
import io.inboard.mesh.api.internal.telemetry.PeerIdentity;
import io.inboard.mesh.api.internal.telemetry.RequestReport;
import io.inboard.mesh.api.internal.telemetry.RequestReport.Reporter;
import java.util.List;

/**
 * What decides a report's label sets: the report's labelled fields and, when the side's
 * overrides read request headers, those headers' values. Built per request (one small object);
 * the label sets it maps to are built once.
 *
 * @param headers the values of the side's captured headers in order, or {@code null} when the
 *     side reads none
 */
record LabelKey(Reporter reporter, Protocol protocol, PeerIdentity source,
    PeerIdentity destination, String destinationService, int responseCode, String grpcStatus,
    String responseFlags, String sourcePrincipal, String destinationPrincipal,
    boolean mutualTls, List<String> headers) {

  static LabelKey of(RequestReport r, List<String> headers) {
    return new LabelKey(r.reporter(), r.protocol(), r.source(), r.destination(),
        r.destinationService(), r.responseCode(), r.grpcStatus(), r.responseFlags(),
        r.sourcePrincipal(), r.destinationPrincipal(), r.mutualTls(), headers);
  }
}
