package io.inboard.mesh.controlplane;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.NameResolverProvider;
import io.grpc.NameResolverRegistry;
import io.grpc.xds.XdsNameResolverProvider;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real grpc-xds client announcing itself with node metadata, in the shape mesh-grpc's
 * bootstrap sends (nested structs for LABELS and INBOARD_PORTS). Its ADS stream is open from
 * {@link #connect} until {@link #close}.
 */
final class XdsWorkload implements AutoCloseable {
  private static final AtomicInteger SCHEMES = new AtomicInteger();

  private final NameResolverProvider resolver;
  private final ManagedChannel channel;

  private XdsWorkload(String xdsAddress, String nodeId, Map<String, Object> metadata,
      String target) {
    String scheme = "test-workload-" + SCHEMES.incrementAndGet();
    Map<String, Object> bootstrap = Map.of(
        "xds_servers", List.of(Map.of("server_uri", "dns:///" + xdsAddress,
            "channel_creds", List.of(Map.of("type", "insecure")),
            "server_features", List.of("xds_v3"))),
        "node", Map.of("id", nodeId, "metadata", metadata));
    resolver = XdsNameResolverProvider.createForTest(scheme, bootstrap);
    NameResolverRegistry.getDefaultRegistry().register(resolver);
    channel = Grpc.newChannelBuilder(scheme + ":///" + target, InsecureChannelCredentials.create())
        .build();
    channel.getState(true); // starts the resolver, and with it the ADS stream
  }

  /** Connects as {@code nodeId}; the stream subscribes to the listener of {@code target}. */
  static XdsWorkload connect(String xdsAddress, String nodeId, Map<String, Object> metadata,
      String target) {
    return new XdsWorkload(xdsAddress, nodeId, metadata, target);
  }

  /** Node metadata of a bookinfo-like workload serving {@code service} on port {@code port}. */
  static Map<String, Object> serving(String service, String version, String ip, int port) {
    return Map.of("NAMESPACE", "default", "WORKLOAD_NAME", service + "-" + version,
        "SERVICE_ACCOUNT", "bookinfo-" + service,
        "LABELS", Map.of("app", service, "version", version),
        "INSTANCE_IPS", ip + ",fd00::1", "INBOARD_SERVICE", service,
        "INBOARD_PORTS", Map.of("grpc", Integer.toString(port)));
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    NameResolverRegistry.getDefaultRegistry().deregister(resolver);
  }
}
