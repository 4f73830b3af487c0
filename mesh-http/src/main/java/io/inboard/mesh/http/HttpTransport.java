package io.inboard.mesh.http;

/**
 * What sends a {@link MeshHttpClient}'s requests on the wire ({@link
 * MeshHttpClientBuilder#transport}). Routing, retries, timeouts, load balancing, pools,
 * ejection, mTLS and telemetry are the same on both.
 */
public enum HttpTransport {

  /**
   * The JDK's {@code java.net.http.HttpClient}, HTTP/1.1 with keep-alive: the default. Body
   * subscribers and completions run on the client's executor.
   */
  JDK,

  /**
   * Inboard's own transport on Netty event loops (one per CPU, epoll where available, daemon
   * threads {@code inboard-http-netty-*}), the one the ingress gateway runs on: connections
   * pooled per endpoint and loop, HTTP/1.1 with keep-alive, or HTTP/2 for a request whose
   * {@code version()} is {@code HTTP_2} (h2c with prior knowledge in plaintext, ALPN over
   * TLS), response trailers included. It allocates about a third of what the JDK client does
   * per call (BENCHMARKS.md), and honours {@code connectionPool.maxRequestsPerConnection} and
   * {@code idleTimeout}, which the JDK client cannot.
   *
   * <p>Threads: a request's body publisher and the response's body subscriber run on an event
   * loop, so a custom {@code BodySubscriber} must not block (the JDK's {@code BodyHandlers} do
   * not). The returned future completes on the client's executor ({@link
   * MeshHttpClientBuilder#executor}), never on an event loop, so blocking in a dependent stage
   * does not stall other calls.
   */
  NETTY
}
