package io.inboard.mesh.http.internal;

import io.inboard.mesh.api.inbound.InboundRequest;
import io.inboard.mesh.api.internal.InternalMesh;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.ServiceName;
import io.inboard.mesh.api.ServiceUnavailableException;
import io.inboard.mesh.api.ServiceUnavailableException.Reason;
import io.inboard.mesh.api.internal.telemetry.MeshMetrics;
import io.inboard.mesh.api.internal.telemetry.PeerIdentity;
import io.inboard.mesh.api.internal.telemetry.RequestReport;
import io.inboard.mesh.http.internal.lb.TryOutcome;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.CompletableFuture;

/**
 * Reports each logical mesh HTTP call once, after its retries, with {@code reporter="source"}:
 * the server's identity from its {@code x-inboard-peer} answer (unknown when it runs no Inboard
 * hook), the final status and the time from the call's start to its end. A call that got no
 * response is reported with status {@code 0} and an Envoy-style flag saying why.
 */
final class ClientTelemetry {

  private final Mesh mesh;
  private final PeerIdentity self;

  ClientTelemetry(Mesh mesh) {
    this.mesh = mesh;
    this.self = PeerIdentity.of(mesh);
  }

  /** Reports {@code call} when it ends; returns it unchanged. */
  <T> CompletableFuture<HttpResponse<T>> observe(ServiceName service,
      CompletableFuture<HttpResponse<T>> call) {
    MeshMetrics metrics = InternalMesh.telemetry(mesh).metrics();
    if (metrics == MeshMetrics.NOOP) {
      return call;
    }
    long start = System.nanoTime();
    String destinationService = service.withoutPort().fqdn(mesh.settings().clusterDomain());
    call.whenComplete((response, failure) -> {
      long nanos = System.nanoTime() - start;
      PeerIdentity destination = response == null ? PeerIdentity.UNKNOWN
          : PeerIdentity.parse(response.headers().firstValue(PeerIdentity.HEADER).orElse(null));
      String flags = response == null ? flag(TryOutcome.unwrap(failure)) : "-";
      int status = response == null ? localReplyStatus(flags) : response.statusCode();
      metrics.record(RequestReport.builder(RequestReport.Reporter.SOURCE,
          InboundRequest.Protocol.HTTP).source(self).destination(destination)
          .destinationService(destinationService).responseCode(status).responseFlags(flags)
          .durationNanos(nanos).build());
    });
    return call;
  }

  // The status Envoy's local reply carries for each flag, which Istio's metrics then report
  // (the caller of the JDK client sees an exception instead).
  private static int localReplyStatus(String flags) {
    return flags.equals("UT") ? 504 : 503;
  }

  // Envoy's response flags for the ways a call ends without a response.
  private static String flag(Throwable failure) {
    if (failure instanceof ServiceUnavailableException s) {
      return s.reason() == Reason.OVERLOADED ? "UO" : "UH";
    }
    if (failure instanceof HttpTimeoutException) {
      return "UT";
    }
    return "UF";
  }
}
