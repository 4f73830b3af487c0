package io.inboard.mesh.http.internal.transport.netty;

import static java.util.Objects.requireNonNull;

import io.inboard.mesh.http.internal.transport.Transport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The transport of {@link io.inboard.mesh.http.internal.transport.TransportKind#NETTY}: each try
 * runs on one event loop (the caller's, when the caller is one of the loops, as the ingress
 * gateway's downstream handlers are; else the next one), on that loop's own connections to the
 * endpoint, so a try never changes thread and nothing is locked.
 *
 * <p>Protocol per request: HTTP/2 when its {@code version()} is {@code HTTP_2} (h2c with prior
 * knowledge, or ALPN {@code h2} over TLS; a TLS server that picks {@code http/1.1} gets
 * HTTP/1.1 from then on), else HTTP/1.1 with keep-alive. HTTP/2 responses' trailers go to a
 * body subscriber that implements
 * {@link io.inboard.mesh.http.internal.transport.ResponseTrailers}.
 *
 * <p>Authority: the header
 * {@link io.inboard.mesh.http.internal.transport.Requests#UPSTREAM_AUTHORITY_HEADER} (or a
 * {@code host} header) is sent as {@code Host}/{@code :authority} and not forwarded; without
 * it, the URI's.
 *
 * <p>Failures match the JDK client's, so retries, outlier ejection and response flags treat
 * them alike: {@link java.net.ConnectException} (refused, unresolvable),
 * {@link java.net.http.HttpConnectTimeoutException}, {@link java.net.http.HttpTimeoutException}
 * (the request's timeout), {@link java.io.IOException} for a broken connection or reset stream
 * (a TLS handshake failure is its {@code SSLHandshakeException}), and
 * {@link java.util.concurrent.CancellationException} to a body subscriber of a cancelled try.
 */
public final class NettyTransport extends Transport {

  /** Idle HTTP/1.1 connections kept per endpoint per loop; more are closed on release. */
  static final int MAX_IDLE_PER_ENDPOINT = 256;
  /**
   * How long a connection may sit unused (no exchange, no streams) before it is closed, unless
   * the destination's {@code connectionPool.idleTimeout} says otherwise.
   */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);

  private final NettyEventLoops loops;
  private final LoopPools[] pools;
  private final Connector connector;

  /**
   * @param sslContext the context for {@code https} tries (the mesh's mTLS one, or a
   *     DestinationRule's), or {@code null} for the JDK's default context
   * @param sslParameters the handshake parameters to take the SNI from, or {@code null}
   * @param secure whether the destination's tries go as {@code https}
   * @param idleTimeout how long a connection may carry no request before it is closed;
   *     {@link Duration#ZERO} for never
   * @param maxRequestsPerConnection requests one connection carries before it is closed (after
   *     them) and a new one made, Istio's {@code http.maxRequestsPerConnection}; 0 for unlimited
   */
  public NettyTransport(NettyEventLoops loops, Duration connectTimeout, SSLContext sslContext,
      SSLParameters sslParameters, boolean secure, Duration idleTimeout,
      int maxRequestsPerConnection) {
    super(secure);
    this.loops = requireNonNull(loops, "loops");
    this.pools = new LoopPools[loops.size()];
    for (int i = 0; i < pools.length; i++) {
      pools[i] = new LoopPools(loops.loop(i), MAX_IDLE_PER_ENDPOINT, maxRequestsPerConnection);
    }
    this.connector = new Connector(loops.channelType(), connectTimeout, sslContext,
        sslParameters, idleTimeout);
  }

  /** The loops this transport runs on (for tests). */
  NettyEventLoops loopsForTest() {
    return loops;
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> send(HttpRequest request,
      BodyHandler<T> handler) {
    LoopPools pool = pools[loops.pick()];
    Exchange<T> ex = new Exchange<>(request, handler, pool.loop());
    if (pool.loop().inEventLoop()) {
      start(pool, ex);
    } else {
      try {
        pool.loop().execute(() -> start(pool, ex));
      } catch (RejectedExecutionException e) {
        ex.completeExceptionally(new IllegalStateException("the mesh HTTP client is closed", e));
      }
    }
    return ex;
  }

  private void start(LoopPools pool, Exchange<?> ex) {
    if (ex.isDone()) {
      return;
    }
    try {
      startOnLoop(pool, ex);
    } catch (RuntimeException e) {
      ex.fail(e); // a bad request or body handler
    }
  }

  private void startOnLoop(LoopPools pool, Exchange<?> ex) {
    ex.armTimeout();
    Endpoint endpoint = endpoint(ex.request.uri());
    if (ex.request.version().orElse(HttpClient.Version.HTTP_1_1) == HttpClient.Version.HTTP_2
        && !pool.speaksOnlyHttp1(endpoint)) {
      Http2Connection c = pool.http2(endpoint);
      if (c == null) {
        c = new Http2Connection(pool, endpoint);
        pool.putHttp2(endpoint, c);
        c.send(ex);
        connectHttp2(pool, endpoint, c);
      } else {
        c.send(ex);
      }
      return;
    }
    Http1Connection idle = pool.takeIdle(endpoint);
    if (idle != null) {
      idle.start(ex);
      return;
    }
    connector.connect(pool.loop(), endpoint, false, (ch, h2, failure) -> {
      if (failure != null) {
        ex.fail(failure);
      } else {
        Http1Connection c = connector.http1(ch, pool, endpoint);
        if (ex.isDone()) {
          pool.release(endpoint, c); // the try ended meanwhile: keep the connection
        } else {
          c.start(ex);
        }
      }
    });
  }

  private void connectHttp2(LoopPools pool, Endpoint endpoint, Http2Connection c) {
    connector.connect(pool.loop(), endpoint, true, (ch, h2, failure) -> {
      if (failure != null) {
        pool.retire(endpoint, c);
        ArrayDeque<Exchange<?>> waiting = c.failed();
        Exchange<?> w;
        while ((w = waiting.poll()) != null) {
          w.fail(failure);
        }
      } else if (h2) {
        c.ready(ch);
      } else {
        // ALPN chose HTTP/1.1: this connection serves the first waiter, the rest go HTTP/1.1
        pool.retire(endpoint, c);
        pool.markOnlyHttp1(endpoint);
        ArrayDeque<Exchange<?>> waiting = c.failed();
        Http1Connection first = connector.http1(ch, pool, endpoint);
        Exchange<?> w = waiting.poll();
        if (w != null) {
          first.start(w);
        } else {
          pool.release(endpoint, first);
        }
        while ((w = waiting.poll()) != null) {
          start(pool, w);
        }
      }
    });
  }

  private static Endpoint endpoint(URI uri) {
    boolean tls = "https".equalsIgnoreCase(uri.getScheme());
    String host = uri.getHost();
    if (host == null) {
      throw new IllegalArgumentException("uri: " + uri + " (expected: an absolute URI with a host)");
    }
    if (host.startsWith("[")) {
      host = host.substring(1, host.length() - 1);
    }
    int port = uri.getPort() >= 0 ? uri.getPort() : tls ? 443 : 80;
    return new Endpoint(host, port, tls);
  }
}
