package io.inboard.mesh.http.internal.transport.netty;

import io.netty.channel.EventLoop;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.Map;

/**
 * One transport's connections on one event loop: per endpoint a LIFO stack of idle HTTP/1.1
 * connections (the most recently used first, so the rest can time out) and one HTTP/2
 * connection. Only the loop's thread touches it, so it has no locks.
 */
final class LoopPools {

  private final EventLoop loop;
  private final int maxIdle;
  private final int maxRequestsPerConnection;
  private final Map<Endpoint, ArrayDeque<Http1Connection>> idle = new HashMap<>();
  private final Map<Endpoint, Http2Connection> http2 = new HashMap<>();
  private final Set<Endpoint> onlyHttp1 = new HashSet<>();

  /**
   * @param maxRequestsPerConnection requests one connection carries before it is closed (once
   *     they are done) and a new one is made; 0 for unlimited
   */
  LoopPools(EventLoop loop, int maxIdle, int maxRequestsPerConnection) {
    this.loop = loop;
    this.maxIdle = maxIdle;
    this.maxRequestsPerConnection = maxRequestsPerConnection;
  }

  /** Whether a connection that has carried {@code requests} may take no more. */
  boolean spent(int requests) {
    return maxRequestsPerConnection > 0 && requests >= maxRequestsPerConnection;
  }

  EventLoop loop() {
    return loop;
  }

  /** An idle, open HTTP/1.1 connection to {@code endpoint}, or {@code null}. */
  Http1Connection takeIdle(Endpoint endpoint) {
    ArrayDeque<Http1Connection> stack = idle.get(endpoint);
    if (stack == null) {
      return null;
    }
    Http1Connection c;
    while ((c = stack.pollFirst()) != null) {
      if (c.isActive()) {
        return c;
      }
    }
    return null;
  }

  /** Puts a connection whose exchange ended cleanly back on top; past the bound, closes it. */
  void release(Endpoint endpoint, Http1Connection connection) {
    ArrayDeque<Http1Connection> stack = idle.computeIfAbsent(endpoint, e -> new ArrayDeque<>());
    if (stack.size() >= maxIdle) {
      connection.abort();
      return;
    }
    connection.idle();
    stack.addFirst(connection);
  }

  /** Forgets a closed connection. */
  void remove(Endpoint endpoint, Http1Connection connection) {
    ArrayDeque<Http1Connection> stack = idle.get(endpoint);
    if (stack != null) {
      stack.remove(connection);
    }
  }

  /** The usable HTTP/2 connection to {@code endpoint}, or {@code null}. */
  Http2Connection http2(Endpoint endpoint) {
    Http2Connection c = http2.get(endpoint);
    return c != null && c.usable() ? c : null;
  }

  void putHttp2(Endpoint endpoint, Http2Connection connection) {
    http2.put(endpoint, connection);
  }

  /** Stops handing out {@code connection} to new tries. */
  void retire(Endpoint endpoint, Http2Connection connection) {
    http2.remove(endpoint, connection);
  }

  /** Whether {@code endpoint} answered ALPN with HTTP/1.1, so HTTP/2 tries go HTTP/1.1. */
  boolean speaksOnlyHttp1(Endpoint endpoint) {
    return !onlyHttp1.isEmpty() && onlyHttp1.contains(endpoint);
  }

  void markOnlyHttp1(Endpoint endpoint) {
    onlyHttp1.add(endpoint);
  }
}
