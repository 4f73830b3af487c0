package io.inboard.mesh.http.server;

import io.inboard.mesh.api.context.RequestContext;
import io.inboard.mesh.api.internal.telemetry.MeshTracing;
import java.net.InetSocketAddress;
import java.util.Map;

/**
 * What one inbound request has come to, filled by the hook that serves it and reported once by
 * {@link InboundHttp#finish}: its span, the caller's peer headers, the connection, and how it
 * ended. Made only while telemetry records or traces.
 */
final class ServerCall {

  final long startNanos = System.nanoTime();
  final long startEpochMillis = System.currentTimeMillis();
  final MeshTracing.ServerSpan span;
  final RequestContext context;

  String envoyPeer;
  String inboardPeer;
  String principal = "";
  boolean mutualTls;
  String method = "";
  String path = "";
  String protocolVersion = "";
  String authority = "";
  String userAgent = "";
  String forwardedFor = "";
  InetSocketAddress local;
  InetSocketAddress remote;
  String serverName = "";
  Map<String, String> headers = Map.of();
  long requestBytes = -1;
  /** Counts a body sent without {@code Content-Length} (a server's own wrapper), or null. */
  Object requestBody;
  long responseBytes = -1;
  int status;
  int flags;
  /** {@code %RESPONSE_CODE_DETAILS%}: {@code via_upstream} unless set. */
  String details = "via_upstream";

  ServerCall(MeshTracing.ServerSpan span) {
    this.span = span;
    this.context = span.context();
  }

  /** The request was refused before the application saw it, with {@code details}. */
  void refused(int refusedStatus, String why) {
    status = refusedStatus;
    details = why;
  }
}
