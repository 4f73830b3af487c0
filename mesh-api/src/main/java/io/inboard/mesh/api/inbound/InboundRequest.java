package io.inboard.mesh.api.inbound;

import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * An inbound request as an {@link InboundGuard} sees it, whichever server received it (a
 * Servlet container, the JDK's HTTP server, a gRPC server). Views are cheap: they read the
 * server's own request object.
 */
public interface InboundRequest {

  /** {@code http} or {@code grpc}. */
  Protocol protocol();

  /** The HTTP method ({@code POST} for gRPC). */
  String method();

  /** The path without the query; for gRPC {@code /package.Service/Method}. */
  String path();

  /**
   * The authority the caller addressed: the {@code :authority} (gRPC), or on HTTP the {@code
   * x-forwarded-host} an Inboard client sends (its {@code Host} is the endpoint's address), else
   * the {@code Host}; {@code ""} when absent.
   */
  String authority();

  /** The first value of header {@code name} (case-insensitive), or {@code null}. */
  String header(String name);

  /** The peer's address, or {@code null} when the transport does not say. */
  InetSocketAddress remoteAddress();

  /**
   * The peer's certificate chain, leaf first, when the connection is TLS with a client
   * certificate; empty otherwise (plaintext, or TLS without one).
   */
  List<X509Certificate> peerCertificates();

  /** The protocol of a request, as Istio's {@code request_protocol} label names it. */
  enum Protocol {
    /** {@code http}. */
    HTTP,
    /** {@code grpc}. */
    GRPC;

    /** The label value, {@code http} or {@code grpc}. */
    public String label() {
      return this == HTTP ? "http" : "grpc";
    }
  }
}
