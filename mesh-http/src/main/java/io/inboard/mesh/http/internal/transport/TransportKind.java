package io.inboard.mesh.http.internal.transport;

/** What sends a mesh HTTP client's tries. */
public enum TransportKind {
  /** The JDK's {@code java.net.http.HttpClient} (HTTP/1.1), the default. */
  JDK,
  /**
   * Netty channels pooled per endpoint, HTTP/1.1 or HTTP/2 (h2c, or TLS with ALPN), response
   * trailers included (see {@link ResponseTrailers}); for the ingress gateway's hot path.
   */
  NETTY
}
