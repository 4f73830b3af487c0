package io.inboard.mesh.http.internal.transport.netty;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.NetUtil;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.http.HttpConnectTimeoutException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * Opens connections: TCP (no Nagle, reads off until asked), then for {@code https} the TLS
 * handshake over the transport's {@code SSLContext} with an engine made for the endpoint's host
 * and port (the mesh's trust manager checks the server's SPIFFE ID by them), endpoint
 * identification {@code HTTPS} and SNI as the JDK client sets them, and ALPN.
 */
final class Connector {

  private static final String[] H2_OR_HTTP1 = {"h2", "http/1.1"};
  private static final String[] HTTP1 = {"http/1.1"};

  /** Called on the loop with the connection, whether it speaks HTTP/2, or the failure. */
  interface Callback {
    void done(Channel channel, boolean http2, Throwable failure);
  }

  private final Class<? extends SocketChannel> channelType;
  private final int connectTimeoutMillis;
  private final SSLContext sslContext;
  private final List<SNIServerName> sni;
  private final ChannelInitializer<Channel> initializer;

  Connector(Class<? extends SocketChannel> channelType, Duration connectTimeout,
      SSLContext sslContext, SSLParameters sslParameters, Duration idleTimeout) {
    this.channelType = channelType;
    this.connectTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis());
    this.sslContext = sslContext;
    this.sni = sslParameters == null || sslParameters.getServerNames() == null
        ? List.of() : List.copyOf(sslParameters.getServerNames());
    long idleMillis = idleTimeout.toMillis();
    this.initializer = new ChannelInitializer<>() {
      @Override
      protected void initChannel(Channel ch) {
        if (idleMillis > 0) { // 0: idle connections are never closed
          ch.pipeline().addLast(new IdleStateHandler(0, 0, idleMillis, TimeUnit.MILLISECONDS));
        }
      }
    };
  }

  void connect(EventLoop loop, Endpoint endpoint, boolean wantHttp2, Callback callback) {
    ChannelFuture cf = new Bootstrap().group(loop).channel(channelType)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.AUTO_READ, false)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
        .handler(initializer)
        .connect(InetSocketAddress.createUnresolved(endpoint.host(), endpoint.port()));
    cf.addListener(f -> {
      if (!f.isSuccess()) {
        callback.done(null, false, connectFailure(endpoint, f.cause()));
        return;
      }
      Channel ch = cf.channel();
      if (!endpoint.tls()) {
        callback.done(ch, wantHttp2, null);
        return;
      }
      SslHandler ssl;
      try {
        ssl = new SslHandler(engine(endpoint, wantHttp2));
      } catch (RuntimeException | NoSuchAlgorithmException e) {
        ch.close();
        callback.done(null, false, new SSLException("TLS setup failed", e));
        return;
      }
      ch.pipeline().addFirst(ssl);
      ssl.handshakeFuture().addListener(hf -> {
        if (hf.isSuccess()) {
          callback.done(ch, "h2".equals(ssl.engine().getApplicationProtocol()), null);
        } else {
          ch.close();
          Throwable c = hf.cause();
          callback.done(null, false,
              c instanceof IOException ? c : new SSLException("TLS handshake failed", c));
        }
      });
    });
  }

  /** Adds the HTTP/1.1 codec and connection handler to an established channel. */
  Http1Connection http1(Channel ch, LoopPools pools, Endpoint endpoint) {
    Http1Connection c = new Http1Connection(pools, endpoint);
    ch.pipeline().addLast(new HttpClientCodec(), c);
    return c;
  }

  private SSLEngine engine(Endpoint endpoint, boolean wantHttp2) throws NoSuchAlgorithmException {
    SSLContext context = sslContext != null ? sslContext : SSLContext.getDefault();
    SSLEngine engine = context.createSSLEngine(endpoint.host(), endpoint.port());
    engine.setUseClientMode(true);
    SSLParameters p = engine.getSSLParameters();
    p.setEndpointIdentificationAlgorithm("HTTPS");
    if (!sni.isEmpty()) {
      p.setServerNames(sni);
    } else if (!NetUtil.isValidIpV4Address(endpoint.host())
        && !NetUtil.isValidIpV6Address(endpoint.host())) {
      p.setServerNames(List.of(new SNIHostName(endpoint.host())));
    }
    p.setApplicationProtocols(wantHttp2 ? H2_OR_HTTP1 : HTTP1);
    engine.setSSLParameters(p);
    return engine;
  }

  // the JDK client's types: a timeout is HttpConnectTimeoutException, the rest ConnectException
  private static Throwable connectFailure(Endpoint endpoint, Throwable cause) {
    String where = endpoint.host() + ":" + endpoint.port();
    if (cause instanceof io.netty.channel.ConnectTimeoutException) {
      HttpConnectTimeoutException e =
          new HttpConnectTimeoutException("HTTP connect timed out: " + where);
      e.initCause(cause);
      return e;
    }
    if (cause instanceof ConnectException) {
      return cause;
    }
    ConnectException e = new ConnectException("connecting to " + where + " failed: " + cause);
    e.initCause(cause);
    return e;
  }
}
