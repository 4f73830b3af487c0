package io.inboard.mesh.grpc;

import static java.util.Objects.requireNonNull;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.NameResolverRegistry;
import io.inboard.mesh.api.Mesh;
import io.grpc.xds.XdsChannelCredentials;
import io.inboard.mesh.xds.internal.InMemoryCertificates;
import io.inboard.mesh.xds.internal.InProcessXdsBootstrap;
import io.inboard.mesh.xds.internal.XdsResourceDump;
import io.inboard.mesh.grpc.internal.route.GrpcRouteFilter;
import io.inboard.mesh.grpc.internal.route.MirrorChannels;
import io.inboard.mesh.grpc.internal.xds.ConfigSelectorState;
import io.inboard.mesh.grpc.internal.xds.XdsResolverProvider;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Channels whose routing, load balancing and resilience come from Inboard control planes over
 * xDS (grpc-xds). The bootstrap lives in the process: no file and no environment variable. All
 * channels of one instance share one xDS client, so the process holds one ADS stream, as a
 * sidecar would. A {@link Mesh} in xDS mode makes one for you ({@link MeshChannels}).
 *
 * <pre>{@code
 * XdsChannels xds = XdsChannels.forControlPlane("127.0.0.1:15010").build();
 * ManagedChannel ch = xds.channel("reviews.default.svc.cluster.local:9080");
 * }</pre>
 *
 * <p><b>Start-up.</b> A call made before the control plane's first config for its target waits
 * for it (bounded by the call's deadline too) for up to {@link Builder#initialConfigTimeout},
 * then fails with {@code UNAVAILABLE: xDS listener '<target>' ... not received from control
 * plane <addresses> within <bound>}, even when no control plane is reachable at all.
 *
 * <p><b>Route extensions.</b> Inboard's gRPC route filter is registered with grpc-xds (once per
 * JVM, before the first channel), so that routes' header changes, per-try timeouts and mirrors
 * apply to calls on these channels. Mirrored calls go out on channels of this instance, made on
 * first use and closed with it.
 *
 * <p><b>Outages and failover.</b> With several addresses grpc-xds uses the first one that
 * answers (gRFC A71 fallback, on by default). A channel that has its config keeps serving from
 * it while no control plane is reachable, and takes updates again once one is.
 */
public final class XdsChannels implements AutoCloseable {
  private static final AtomicInteger SCHEMES = new AtomicInteger();

  private final String scheme = "inboard-xds-" + SCHEMES.incrementAndGet();
  private final InProcessXdsBootstrap.SharedClient client;
  private final XdsResolverProvider resolver;
  private final MirrorChannels mirrors;

  private XdsChannels(Builder b) {
    // grpc-xds reads its filter registry when it parses a listener: register before any channel
    GrpcRouteFilter.register();
    this.client = InProcessXdsBootstrap.sharedClient(
        InProcessXdsBootstrap.bootstrap(b.servers, b.nodeId, b.metadata, b.certificates));
    this.resolver = new XdsResolverProvider(scheme, client, b.servers, b.initialConfigTimeout);
    NameResolverRegistry.getDefaultRegistry().register(resolver);
    this.mirrors = new MirrorChannels(listener -> builderFor(listener).build());
  }

  /**
   * Starts configuring channels served by the control planes at {@code addresses}
   * ({@code host:port}, in failover order).
   */
  public static Builder forControlPlane(String... addresses) {
    return new Builder(List.of(addresses));
  }

  /**
   * A channel to {@code target}: {@code xds:///reviews.default.svc.cluster.local:9080}
   * or the same without the scheme. The target names the xDS Listener the channel asks for.
   */
  public ManagedChannel channel(String target) {
    return channelBuilder(target).build();
  }

  /**
   * A channel builder for {@code target}, for callers that add their own options. Do not call
   * {@code disableServiceConfigLookUp()} on it: the xDS config arrives as the resolver's service
   * config. A {@code defaultServiceConfig} is never used either, because grpc-xds always
   * supplies a service config, and takes each call's timeout and retry policy from the route.
   */
  public ManagedChannelBuilder<?> channelBuilder(String target) {
    requireNonNull(target, "target");
    String path = target.startsWith("xds:///") ? target.substring("xds:///".length()) : target;
    if (path.isEmpty() || path.contains("/")) {
      throw new IllegalArgumentException(
          "target: '" + target + "' (expected: xds:///host:port or host:port)");
    }
    // the route filter finds this instance's mirror channels in the options of each call that
    // may meet a mirroring route, which the channel's resolver helps tell
    ConfigSelectorState selector = new ConfigSelectorState();
    return builderFor(path).setNameResolverArg(ConfigSelectorState.KEY, selector)
        .intercept(mirrors.interceptor(selector));
  }

  /** A channel builder for the Listener {@code path}, without mirroring (as mirrors use). */
  private ManagedChannelBuilder<?> builderFor(String path) {
    // clusters with an UpstreamTlsContext get mTLS from the bootstrap's certificate providers,
    // the rest fall back to plaintext
    return Grpc.newChannelBuilder(scheme + ":///" + path,
        XdsChannelCredentials.create(InsecureChannelCredentials.create()));
  }

  /**
   * What this instance's xDS client holds, as a workload's {@code /debug/config_dump} shows it:
   * by type URL and resource name, each resource's status ({@code ACKED}, {@code NACKED} with
   * the error, {@code REQUESTED}, {@code DOES_NOT_EXIST}), version and content as JSON-like maps.
   * Waits at most a second for the client's answer.
   */
  public Map<String, Object> resources() {
    return XdsResourceDump.of(client.client());
  }

  /**
   * Shuts the mirror channels down, unregisters the resolver and releases the xDS client. Shut this instance's channels down
   * first: channels still open stop receiving config updates.
   */
  @Override
  public void close() {
    mirrors.close();
    NameResolverRegistry.getDefaultRegistry().deregister(resolver);
    client.close();
  }

  /** Configures {@link XdsChannels}. */
  public static final class Builder {
    private final List<String> servers;
    private String nodeId = "inboard~" + UUID.randomUUID();
    private final Map<String, Object> metadata = new LinkedHashMap<>();
    private Duration initialConfigTimeout = Mesh.Settings.DEFAULT_INITIAL_CONFIG_TIMEOUT;
    private InMemoryCertificates certificates;

    private Builder(List<String> servers) {
      if (servers.isEmpty()) {
        throw new IllegalArgumentException("addresses: [] (expected: at least one host:port)");
      }
      for (String s : servers) {
        if (s == null || !s.matches("[^:/\\s]+:\\d{1,5}")) {
          throw new IllegalArgumentException(
              "addresses: '" + s + "' (expected: host:port of a control plane)");
        }
      }
      this.servers = List.copyOf(servers);
    }

    /** The node id this client announces (default: {@code inboard~<random UUID>}). */
    public Builder nodeId(String nodeId) {
      this.nodeId = requireNonNull(nodeId, "nodeId");
      return this;
    }

    /** Adds a string to the node metadata the control plane sees (default: none). */
    public Builder metadata(String key, String value) {
      metadata.put(requireNonNull(key, "key"), requireNonNull(value, "value"));
      return this;
    }

    /** Adds a struct of strings to the node metadata, such as the workload's labels. */
    public Builder metadata(String key, Map<String, String> struct) {
      metadata.put(requireNonNull(key, "key"), Map.copyOf(requireNonNull(struct, "struct")));
      return this;
    }

    /**
     * How long a call waits for its target's first config before failing (default 10 s).
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder initialConfigTimeout(Duration timeout) {
      requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException(
            "initialConfigTimeout: " + timeout + " (expected: > 0)");
      }
      this.initialConfigTimeout = timeout;
      return this;
    }

    /** See {@link InternalXdsChannels#certificates}. */
    Builder certificates(InMemoryCertificates certificates) {
      this.certificates = requireNonNull(certificates, "certificates");
      return this;
    }

    /** Creates the xDS client; it connects when the first channel asks for config. */
    public XdsChannels build() {
      return new XdsChannels(this);
    }
  }
}
