package io.inboard.benchmarks.mtls;

/**
 * The fixed loopback ports of the mTLS benchmark. The HAProxy configs in
 * {@code benchmarks/haproxy/*-mtls.cfg} name the same numbers.
 */
final class MtlsPorts {
  /** The control plane's xDS port (the clients' and nobody else's). */
  static final int XDS = 18010;

  /** Plain Jetty, no mesh: direct calls and the server sidecar's upstream. */
  static final int HTTP_PLAIN = 18080;
  /** Jetty with {@code MeshJetty}'s connector, port mode DISABLE. */
  static final int HTTP_MESH_PLAIN = 18081;
  /** Jetty with {@code MeshJetty}'s connector, port mode STRICT. */
  static final int HTTP_MESH_STRICT = 18082;

  /** grpc-netty, no mesh: direct calls and the server sidecar's upstream. */
  static final int GRPC_PLAIN = 18090;
  /** {@code MeshGrpc.serverBuilder}, port mode DISABLE. */
  static final int GRPC_MESH_PLAIN = 18091;
  /** {@code MeshGrpc.serverBuilder}, port mode STRICT. */
  static final int GRPC_MESH_STRICT = 18092;

  /** The client sidecar's HTTP/1.1 frontend (keep-alive, connections reused to the server side). */
  static final int SIDECAR_HTTP = 15001;
  /** The client sidecar's HTTP/2 frontend (gRPC). */
  static final int SIDECAR_GRPC = 15011;
  /** The client sidecar's HTTP/1.1 frontend that closes every connection after one request. */
  static final int SIDECAR_HANDSHAKE = 15021;

  /** As {@link #SIDECAR_HANDSHAKE}, with {@code no-ssl-reuse}: a full TLS handshake each time. */
  static final int SIDECAR_HANDSHAKE_FULL = 15022;

  private MtlsPorts() {}
}
