package io.inboard.mesh.http.internal;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.inboard.mesh.api.ServiceName;
import io.inboard.mesh.api.policy.ClientPolicy;
import io.inboard.mesh.api.policy.ConnectionPoolSettings;
import io.inboard.mesh.http.internal.resilience.CircuitBreakers;
import io.inboard.mesh.api.internal.telemetry.MeshTelemetry;
import io.inboard.mesh.http.internal.resilience.Destination;
import io.inboard.mesh.http.internal.telemetry.ClusterStats;
import io.inboard.mesh.http.internal.transport.BlockingSends;
import io.inboard.mesh.http.internal.tls.UpstreamIdentities;
import io.inboard.mesh.http.internal.tls.UpstreamTls;
import io.inboard.mesh.http.internal.tls.UpstreamTlsContexts;
import io.inboard.mesh.http.internal.transport.Transport;
import io.inboard.mesh.http.internal.transport.TransportKind;
import io.inboard.mesh.http.internal.transport.netty.NettyEventLoops;
import io.inboard.mesh.http.internal.transport.netty.NettyTransport;
import io.netty.channel.EventLoopGroup;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;

/**
 * Builds destinations for both routers from what a client shares among them: one transport per
 * connect timeout and TLS setting (and, for Netty, the connections' limits), and one circuit breaker per name (a service, or an xDS
 * cluster).
 *
 * <p>JDK clients: the JDK takes one {@code SSLContext} per {@code HttpClient}, so there is one
 * plaintext client, one for all of the mesh's mTLS destinations (its trust manager checks each
 * server by the endpoint it connected to, see {@link UpstreamIdentities}), and one per distinct
 * SIMPLE/MUTUAL setting; each of those per connect timeout. All run on the client's one bounded
 * executor, never the JDK's default one (which starts a thread per request on small machines),
 * so the thread count does not grow with the number of JDK clients.
 *
 * <p>Netty ({@link TransportKind#NETTY}): one {@link NettyTransport} per connect timeout and TLS
 * setting as well, all on one event-loop group: the {@code executor} when it is an
 * {@link EventLoopGroup} (the client builder passes the gateway's, or one it owns), else a group
 * made here on daemon threads.
 */
final class DestinationFactory {

  private final Executor executor;
  private final BlockingSends blockingPool;
  private final Map<TransportKey, Transport> transports = new ConcurrentHashMap<>();
  private final UpstreamTlsContexts tls;
  private final CircuitBreakerRegistry breakers = CircuitBreakerRegistry.ofDefaults();
  private final MeshTelemetry telemetry;
  private final String clusterDomain;
  private final TransportKind kind;
  private volatile NettyEventLoops nettyLoops;

  /**
   * @param blockingPool the pool for blocking sends, or {@code null} where async sends are safe
   *     (see {@link Transport#ASYNC_IS_SAFE})
   */
  DestinationFactory(Executor executor, BlockingSends blockingPool, UpstreamTlsContexts tls,
      MeshTelemetry telemetry, String clusterDomain, TransportKind kind) {
    this.kind = kind;
    this.telemetry = telemetry;
    this.clusterDomain = clusterDomain;
    this.tls = tls;
    this.executor = executor;
    this.blockingPool = blockingPool;
  }

  /**
   * An xDS cluster's destination: {@link #create(String, String, ServiceName, ClientPolicy,
   * UpstreamTls)} with the cluster's name (Istio's) for both the breaker and telemetry.
   */
  Destination create(String cluster, ServiceName service, ClientPolicy policy,
      UpstreamTls upstreamTls) {
    return create(cluster, cluster, service, policy, upstreamTls);
  }

  /**
   * A destination for {@code service} under {@code policy}, speaking {@code upstreamTls}, whose
   * circuit breaker (if the policy has one) is the one named {@code breakerName}; its discovery
   * is not started. A destination whose TLS this workload cannot provide refuses every call
   * with a message naming {@code breakerName} (the xDS cluster) and why; it never falls back to
   * plaintext. Its telemetry (health gauges from now on) goes by {@code clusterName}, Istio's
   * name of the cluster.
   *
   * @throws IllegalArgumentException if SIMPLE/MUTUAL settings are unusable (bad PEM)
   */
  Destination create(String breakerName, String clusterName, ServiceName service,
      ClientPolicy policy, UpstreamTls upstreamTls) {
    CircuitBreaker breaker = policy.circuitBreaker()
        .map(cb -> breakers.circuitBreaker(breakerName, CircuitBreakers.config(cb)))
        .orElse(null);
    ConnectionPoolSettings pool = policy.connectionPool().orElse(ConnectionPoolSettings.DEFAULT);
    Transport transport = transport(pool.connectTimeout(), upstreamTls, pool.idleTimeout(),
        pool.maxRequestsPerConnection());
    ClusterStats stats = new ClusterStats(clusterName,
        service.withoutPort().fqdn(clusterDomain), telemetry);
    Destination d = !upstreamTls.secure()
        ? new Destination(service, policy, breaker, transport, stats)
        : new Destination(service, policy, breaker, transport, stats, () -> {
          String why = tls.unavailable(upstreamTls);
          return why == null ? null : "cluster '" + breakerName + "': " + why;
        });
    d.registerGauges();
    return d;
  }

  /** The circuit breaker named {@code name}, if a destination has created it. */
  Optional<CircuitBreaker> breaker(String name) {
    return breakers.find(name);
  }

  /** The shared plaintext JDK transport for {@code connectTimeout}. */
  Transport transport(Duration connectTimeout) {
    return transport(connectTimeout, UpstreamTls.PLAINTEXT);
  }

  /** The shared transport for {@code connectTimeout} speaking {@code upstreamTls}. */
  Transport transport(Duration connectTimeout, UpstreamTls upstreamTls) {
    return transport(connectTimeout, upstreamTls, Optional.empty(), 0);
  }

  /**
   * The shared transport for {@code connectTimeout} speaking {@code upstreamTls}, closing
   * connections idle for {@code idleTimeout} (empty: the transport's default) and after
   * {@code maxRequestsPerConnection} requests (0: never). JDK transports ignore both: the JDK
   * has one keep-alive time per JVM and no per-connection limit.
   */
  Transport transport(Duration connectTimeout, UpstreamTls upstreamTls,
      Optional<Duration> idleTimeout, int maxRequestsPerConnection) {
    boolean netty = kind == TransportKind.NETTY;
    Duration idle = netty ? idleTimeout.orElse(NettyTransport.DEFAULT_IDLE_TIMEOUT) : Duration.ZERO;
    return transports.computeIfAbsent(
        new TransportKey(connectTimeout, UpstreamTlsContexts.clientKey(upstreamTls), idle,
            netty ? maxRequestsPerConnection : 0),
        k -> newTransport(k.connectTimeout(), k.tls(), k.idleTimeout(), k.maxPerConnection()));
  }

  private Transport newTransport(Duration connectTimeout, UpstreamTls upstreamTls,
      Duration idleTimeout, int maxPerConnection) {
    SSLContext context = tls.context(upstreamTls);
    if (kind == TransportKind.NETTY) {
      return new NettyTransport(nettyLoops(), connectTimeout, context,
          context == null ? null : UpstreamTlsContexts.parameters(context, upstreamTls),
          upstreamTls.secure(), idleTimeout, maxPerConnection);
    }
    HttpClient.Builder b = HttpClient.newBuilder()
        .executor(executor)
        // Plain HTTP/1.1: an h2c upgrade would cost a round trip on every new connection.
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(connectTimeout)
        .followRedirects(HttpClient.Redirect.NEVER);
    if (context != null) {
      b.sslContext(context).sslParameters(UpstreamTlsContexts.parameters(context, upstreamTls));
    }
    // without a context (mTLS, no identity) calls are refused before they reach the transport
    return new Transport(b.build(), blockingPool, upstreamTls.secure());
  }

  // called under the transports map's computeIfAbsent, hence at most once at a time per key;
  // the group is shared by every key, so its creation is guarded here
  private synchronized NettyEventLoops nettyLoops() {
    if (nettyLoops == null) {
      nettyLoops = NettyEventLoops.of(executor instanceof EventLoopGroup g ? g
          : NettyEventLoops.newGroup());
    }
    return nettyLoops;
  }

  /** Which identities each endpoint of an mTLS cluster may present (secure naming). */
  UpstreamIdentities identities() {
    return tls.identities();
  }

  private record TransportKey(Duration connectTimeout, UpstreamTls tls, Duration idleTimeout,
      int maxPerConnection) {}
}
