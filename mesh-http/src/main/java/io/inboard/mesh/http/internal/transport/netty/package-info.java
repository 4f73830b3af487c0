/**
 * The Netty transport ({@code TransportKind.NETTY}): {@code NettyTransport} runs each try as an
 * {@code Exchange} on one event loop ({@code NettyEventLoops}: the caller's when it is one of
 * them), over that loop's own connections ({@code LoopPools}: LIFO stacks of idle HTTP/1.1
 * keep-alive connections and one multiplexed HTTP/2 connection per endpoint), opened by the
 * {@code Connector} (TCP_NODELAY, TLS with the destination's {@code SSLContext}, ALPN).
 * {@code Http1Connection} and {@code Http2Stream} move bytes between the channel and the
 * exchange; {@code RequestBody} streams the request's publisher as the channel takes it.
 *
 * <p>Nothing here locks: per-loop state is touched only on its loop, and signals from other
 * threads (a cancel, a subscriber's demand, a publisher's items) hop onto it.
 *
 * <p>Internal: may change at any time.
 */
package io.inboard.mesh.http.internal.transport.netty;
