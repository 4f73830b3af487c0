package io.inboard.mesh.xds.internal;

import static java.util.Objects.requireNonNull;

import io.grpc.MetricRecorder;
import io.grpc.NameResolver;
import io.grpc.xds.InboardGrpcBridge;
import io.grpc.xds.InternalGrpcBootstrapperImpl;
import io.grpc.xds.InternalSharedXdsClientPoolProvider;
import io.grpc.xds.XdsNameResolverProvider;
import io.grpc.xds.client.XdsClient;
import io.grpc.xds.client.XdsInitializationException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The one place that touches grpc-xds's bootstrap and client-pool machinery (internal APIs, so
 * that a grpc upgrade changes this file only). grpc-xds reads its default bootstrap (file or
 * environment variable) once per JVM; here each {@link SharedClient} carries its own bootstrap,
 * so a process, or a test JVM, can talk to several control planes without any file.
 */
public final class InProcessXdsBootstrap {
  private static final AtomicInteger KEYS = new AtomicInteger();

  private InProcessXdsBootstrap() {}

  /**
   * The bootstrap for {@code servers} (tried in order: grpc-xds falls back to a later server
   * per gRFC A71, on by default since 1.66), announcing the node as {@code nodeId} with
   * {@code metadata} (values: strings, or maps of strings, which become structs).
   */
  public static Map<String, Object> bootstrap(List<String> servers, String nodeId,
      Map<String, ?> metadata) {
    return bootstrap(servers, nodeId, metadata, null);
  }

  /**
   * As {@link #bootstrap(List, String, Map)}, with the {@code certificate_providers} that TLS
   * contexts in clusters name ({@link InMemoryCertificates#bootstrapProviders()}); without them
   * grpc-xds NACKs every cluster that asks for TLS.
   */
  public static Map<String, Object> bootstrap(List<String> servers, String nodeId,
      Map<String, ?> metadata, InMemoryCertificates certificates) {
    List<Map<String, Object>> xdsServers = servers.stream()
        .map(uri -> Map.<String, Object>of(
            // an explicit scheme: mesh-grpc's k8s resolver must never resolve the control
            // plane's own address
            "server_uri", uri.contains(":///") ? uri : "dns:///" + uri,
            "channel_creds", List.of(Map.of("type", "insecure")),
            "server_features", List.of("xds_v3")))
        .toList();
    Map<String, Object> node = Map.of("id", nodeId, "metadata", metadata);
    return certificates == null ? Map.of("xds_servers", xdsServers, "node", node)
        : Map.of("xds_servers", xdsServers, "node", node,
            "certificate_providers", certificates.bootstrapProviders());
  }

  /**
   * A new xDS client for {@code bootstrap}, to share between every channel of one owner (one ADS
   * stream per owner, as a sidecar has). Release it with {@link SharedClient#close()}.
   *
   * @throws IllegalArgumentException if grpc-xds rejects the bootstrap
   */
  public static SharedClient sharedClient(Map<String, ?> bootstrap) {
    try {
      // grpc-xds pools clients by key; a fresh key keeps this bootstrap's client apart
      var pool = InternalSharedXdsClientPoolProvider.getOrCreate(
          "inboard-xds-client-" + KEYS.incrementAndGet(),
          InternalGrpcBootstrapperImpl.parseBootstrap(bootstrap), new MetricRecorder() {}, null);
      return new SharedClient(pool, pool.getObject());
    } catch (XdsInitializationException e) {
      throw new IllegalArgumentException("xDS bootstrap: " + e.getMessage(), e);
    }
  }

  /**
   * grpc-xds's own resolver for {@code xds:///<authority>}, fetching through {@code client}
   * instead of a client of its own.
   */
  public static NameResolver xdsResolver(String authority, NameResolver.Args args,
      SharedClient client) {
    NameResolver.Args withClient = args.toBuilder()
        .setArg(XdsNameResolverProvider.XDS_CLIENT_SUPPLIER, client.supplier).build();
    return new XdsNameResolverProvider()
        .newNameResolver(URI.create("xds:///" + authority), withClient);
  }

  /** One xDS client, held until {@link #close()}. */
  public static final class SharedClient implements AutoCloseable {
    private final InternalSharedXdsClientPoolProvider.XdsClientResult pool;
    private final XdsClient client;
    private final Supplier<XdsClient> supplier;

    private SharedClient(InternalSharedXdsClientPoolProvider.XdsClientResult pool,
        XdsClient client) {
      this.pool = pool;
      this.client = requireNonNull(client, "client");
      XdsClient resolverClient = InboardGrpcBridge.resolverClient(client);
      this.supplier = () -> resolverClient;
    }

    /**
     * The client itself, for watching resources of Inboard's own types ({@link RawResourceType}).
     * A type URL may have one resource type per client (grpc-xds keys types by URL), so raw types
     * and grpc-xds's built-in ones never share a client.
     */
    public XdsClient client() {
      return client;
    }

    /** Shuts the client down once channels using it are shut down. */
    @Override
    public void close() {
      pool.returnObject(client);
    }
  }
}
