package io.inboard.mesh.telemetry.internal.tracing;

import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;

import io.inboard.mesh.api.inbound.InboundRequest.Protocol;
import io.inboard.mesh.api.internal.telemetry.RequestDetails;
import io.inboard.mesh.api.internal.telemetry.RequestReport;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.AttributesBuilder;

/**
 * The attributes a span ends with: OpenTelemetry's semantic conventions for HTTP and gRPC spans
 * (HTTP stable; RPC as of v1.44, plus the older {@code rpc.system} and {@code rpc.service} that
 * many backends still read), and the tags Istio's proxies put on every span
 * ({@code upstream_cluster}, {@code response_flags}, {@code guid:x-request-id}). Runs only for
 * recorded spans.
 */
final class SpanAttributes {

  static final AttributeKey<String> HTTP_METHOD = stringKey("http.request.method");
  static final AttributeKey<Long> HTTP_STATUS = longKey("http.response.status_code");
  static final AttributeKey<Long> RESEND_COUNT = longKey("http.request.resend_count");
  static final AttributeKey<String> URL_PATH = stringKey("url.path");
  static final AttributeKey<String> URL_QUERY = stringKey("url.query");
  static final AttributeKey<String> URL_SCHEME = stringKey("url.scheme");
  static final AttributeKey<String> URL_FULL = stringKey("url.full");
  static final AttributeKey<String> SERVER_ADDRESS = stringKey("server.address");
  static final AttributeKey<Long> SERVER_PORT = longKey("server.port");
  static final AttributeKey<String> CLIENT_ADDRESS = stringKey("client.address");
  static final AttributeKey<String> PEER_ADDRESS = stringKey("network.peer.address");
  static final AttributeKey<Long> PEER_PORT = longKey("network.peer.port");
  static final AttributeKey<String> PROTOCOL_VERSION = stringKey("network.protocol.version");
  static final AttributeKey<String> USER_AGENT = stringKey("user_agent.original");
  static final AttributeKey<String> RPC_SYSTEM_NAME = stringKey("rpc.system.name");
  static final AttributeKey<String> RPC_SYSTEM = stringKey("rpc.system");
  static final AttributeKey<String> RPC_METHOD = stringKey("rpc.method");
  static final AttributeKey<String> RPC_SERVICE = stringKey("rpc.service");
  static final AttributeKey<String> RPC_STATUS = stringKey("rpc.status_code");
  static final AttributeKey<Long> GRPC_STATUS = longKey("rpc.grpc.status_code");
  static final AttributeKey<String> ERROR_TYPE = stringKey("error.type");
  static final AttributeKey<String> UPSTREAM_CLUSTER = stringKey("upstream_cluster");
  static final AttributeKey<String> RESPONSE_FLAGS = stringKey("response_flags");
  static final AttributeKey<String> REQUEST_ID = stringKey("guid:x-request-id");

  private SpanAttributes() {}

  /**
   * A SERVER span's attributes; returns whether it is an error (HTTP: 5xx or no response; gRPC:
   * a server-fault status or none).
   */
  static boolean server(String name, RequestReport report, String requestId,
      AttributesBuilder out) {
    RequestDetails d = report.details();
    istio(d.upstreamCluster(), report.responseFlags(), requestId, out);
    HostPort self = HostPort.parse(d.authority());
    putAddress(SERVER_ADDRESS, SERVER_PORT, self, out);
    if (self.port() < 0) {
      int port = HostPort.parse(d.downstreamLocalAddress()).port();
      if (port >= 0) {
        out.put(SERVER_PORT, port);
      }
    }
    HostPort peer = HostPort.parse(d.downstreamRemoteAddress());
    putAddress(PEER_ADDRESS, PEER_PORT, peer, out);
    String client = firstForwardedFor(d.forwardedFor());
    putIfKnown(CLIENT_ADDRESS, client.isEmpty() ? peer.host() : client, out);
    putIfKnown(USER_AGENT, d.userAgent(), out);
    putProtocolVersion(d.protocolVersion(), out);
    if (report.protocol() == Protocol.GRPC) {
      int status = grpc(name, report.grpcStatus(), out);
      return GrpcStatusNames.serverError(status);
    }
    out.put(HTTP_METHOD, method(d, name));
    String path = d.path();
    int q = path.indexOf('?');
    out.put(URL_PATH, q < 0 ? path : path.substring(0, q));
    if (q >= 0 && q + 1 < path.length()) {
      out.put(URL_QUERY, path.substring(q + 1));
    }
    out.put(URL_SCHEME, "http");
    int code = report.responseCode();
    if (code > 0) {
      out.put(HTTP_STATUS, code);
    }
    boolean error = code <= 0 || code >= 500;
    if (error) {
      out.put(ERROR_TYPE, code > 0 ? Integer.toString(code) : "_OTHER");
    }
    return error;
  }

  /**
   * The attributes of an outbound call's span and of its attempts that the call's report gives
   * (the logical server, the request), without the outcome.
   */
  static void client(String name, Protocol protocol, RequestDetails d, String requestId,
      AttributesBuilder out) {
    putIfKnown(UPSTREAM_CLUSTER, d.upstreamCluster(), out);
    putIfKnown(REQUEST_ID, requestId, out);
    putAddress(SERVER_ADDRESS, SERVER_PORT, HostPort.parse(d.authority()), out);
    putIfKnown(USER_AGENT, d.userAgent(), out);
    putProtocolVersion(d.protocolVersion(), out);
    if (protocol == Protocol.GRPC) {
      int slash = name.indexOf('/');
      out.put(RPC_SYSTEM_NAME, "grpc").put(RPC_SYSTEM, "grpc").put(RPC_METHOD, name);
      if (slash > 0) {
        out.put(RPC_SERVICE, name.substring(0, slash));
      }
      return;
    }
    out.put(HTTP_METHOD, method(d, name));
    if (!d.authority().isEmpty()) {
      out.put(URL_FULL, "http://" + d.authority() + d.path());
    }
  }

  /**
   * A CLIENT (or call) span's outcome; returns whether it is an error (HTTP: 4xx, 5xx or no
   * response; gRPC: any status but OK).
   */
  static boolean clientOutcome(Protocol protocol, int responseCode, String grpcStatus,
      String responseFlags, Throwable failure, AttributesBuilder out) {
    putIfKnown(RESPONSE_FLAGS, responseFlags, out);
    boolean error;
    String errorType;
    if (protocol == Protocol.GRPC) {
      int status = GrpcStatusNames.number(grpcStatus);
      putGrpcStatus(status, out);
      error = GrpcStatusNames.clientError(status);
      errorType = status > 0 ? GrpcStatusNames.name(status) : "_OTHER";
    } else {
      if (responseCode > 0) {
        out.put(HTTP_STATUS, responseCode);
      }
      error = responseCode <= 0 || responseCode >= 400;
      errorType = responseCode > 0 ? Integer.toString(responseCode) : "_OTHER";
    }
    if (failure != null) {
      errorType = failure.getClass().getName();
      error = true;
    }
    if (error) {
      out.put(ERROR_TYPE, errorType);
    }
    return error;
  }

  /** An attempt's own attributes: which try it is and the endpoint it went to. */
  static void attempt(int attempt, String upstreamHost, AttributesBuilder out) {
    if (attempt > 1) {
      out.put(RESEND_COUNT, attempt - 1);
    }
    putAddress(PEER_ADDRESS, PEER_PORT, HostPort.parse(upstreamHost), out);
  }

  private static int grpc(String name, String grpcStatus, AttributesBuilder out) {
    int slash = name.indexOf('/');
    out.put(RPC_SYSTEM_NAME, "grpc").put(RPC_SYSTEM, "grpc").put(RPC_METHOD, name);
    if (slash > 0) {
      out.put(RPC_SERVICE, name.substring(0, slash));
    }
    int status = GrpcStatusNames.number(grpcStatus);
    putGrpcStatus(status, out);
    if (GrpcStatusNames.serverError(status)) {
      out.put(ERROR_TYPE, status >= 0 ? GrpcStatusNames.name(status) : "_OTHER");
    }
    return status;
  }

  private static void putGrpcStatus(int status, AttributesBuilder out) {
    if (status >= 0) {
      out.put(RPC_STATUS, GrpcStatusNames.name(status));
      out.put(GRPC_STATUS, status);
    }
  }

  private static void istio(String cluster, String flags, String requestId,
      AttributesBuilder out) {
    putIfKnown(UPSTREAM_CLUSTER, cluster, out);
    putIfKnown(RESPONSE_FLAGS, flags, out);
    putIfKnown(REQUEST_ID, requestId, out);
  }

  private static String method(RequestDetails d, String name) {
    return d.method().isEmpty() ? name : d.method();
  }

  private static String firstForwardedFor(String xff) {
    int comma = xff.indexOf(',');
    return (comma < 0 ? xff : xff.substring(0, comma)).trim();
  }

  private static void putProtocolVersion(String protocol, AttributesBuilder out) {
    if (protocol.startsWith("HTTP/")) {
      out.put(PROTOCOL_VERSION, protocol.substring(5));
    }
  }

  private static void putAddress(AttributeKey<String> host, AttributeKey<Long> port,
      HostPort hp, AttributesBuilder out) {
    putIfKnown(host, hp.host(), out);
    if (hp.port() >= 0) {
      out.put(port, hp.port());
    }
  }

  private static void putIfKnown(AttributeKey<String> key, String value,
      AttributesBuilder out) {
    if (value != null && !value.isEmpty()) {
      out.put(key, value);
    }
  }
}
