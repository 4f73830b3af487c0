package io.inboard.mesh.controlplane.internal;

import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.controlplane.server.DiscoveryServerCallbacks;
import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Serves ADS (state of the world, v3) with java-control-plane, and LRS on the same port (see
 * {@link LoadReportingService}). Every node gets the same snapshot for now, so the cache has a
 * single group.
 *
 * <p>Versions read {@code <instance>-<n>}: a random id per instance, then a counter. A client
 * re-sends the version it holds when it reconnects, and the cache pushes nothing while a
 * client's version equals the one it serves. With a bare counter, a restarted control plane
 * would reach the same number with different config, and a client holding that number would
 * never be updated.
 */
public final class AdsServer implements AutoCloseable {
  private static final String GROUP = "mesh";

  private final SimpleCache<String> cache = new SimpleCache<>(node -> GROUP);
  private final String instance =
      HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
  private final AtomicLong version = new AtomicLong();
  private final LoadReportingService loadReports = new LoadReportingService();
  private final Server server;

  /**
   * Binds {@code host:port} ({@code port} 0 picks a free one) and starts serving; {@code
   * callbacks} hear of every stream, request and response.
   */
  public AdsServer(String host, int port, DiscoveryServerCallbacks callbacks) throws IOException {
    V3DiscoveryServer discovery = new V3DiscoveryServer(callbacks, cache);
    server = NettyServerBuilder
        .forAddress(new InetSocketAddress(host, port), InsecureServerCredentials.create())
        .addService(discovery.getAggregatedDiscoveryServiceImpl())
        .addService(loadReports)
        .build().start();
  }

  /** Whether ADS is being served (true from construction until {@link #close}). */
  public boolean serving() {
    return !server.isShutdown();
  }

  public int port() {
    return server.getPort();
  }

  /** The load reports clients send, kept for inspection. */
  public LoadReportingService loadReports() {
    return loadReports;
  }

  /**
   * Replaces what every client is served. The version always changes, because the cache
   * pushes nothing to a client that already holds the version it offers.
   *
   * @return the new version
   */
  public String publish(XdsResources r) {
    String v = instance + "-" + version.incrementAndGet();
    cache.setSnapshot(GROUP, Snapshot.create(r.clusters(), r.assignments(), r.listeners(),
        r.routes(), List.of(), v));
    return v;
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}
