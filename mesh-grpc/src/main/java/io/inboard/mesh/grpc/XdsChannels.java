package io.inboard.mesh.grpc;

import static java.util.Objects.requireNonNull;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.NameResolverProvider;
import io.grpc.NameResolverRegistry;
import io.inboard.mesh.grpc.internal.InProcessXdsBootstrap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Channels whose routing, load balancing and resilience come from an Inboard control plane over
 * xDS (grpc-xds). The bootstrap lives in the process: no file and no environment variable.
 *
 * <pre>{@code
 * XdsChannels xds = XdsChannels.forControlPlane("127.0.0.1:15010").build();
 * ManagedChannel ch = xds.channel("reviews.default.svc.cluster.local:9080");
 * }</pre>
 */
public final class XdsChannels implements AutoCloseable {
  private static final AtomicInteger SCHEMES = new AtomicInteger();

  private final String scheme = "inboard-xds-" + SCHEMES.incrementAndGet();
  private final NameResolverProvider resolver;

  private XdsChannels(Builder b) {
    this.resolver = InProcessXdsBootstrap.resolver(scheme, b.servers, b.nodeId, b.metadata);
    // a channel builder's own resolver factory is not reliably used for xds targets, so each
    // instance registers its resolver under a scheme of its own
    NameResolverRegistry.getDefaultRegistry().register(resolver);
  }

  /**
   * Starts configuring channels served by the control planes at {@code addresses}
   * ({@code host:port}, tried in order).
   */
  public static Builder forControlPlane(String... addresses) {
    return new Builder(List.of(addresses));
  }

  /**
   * A plaintext channel to {@code target}: {@code xds:///reviews.default.svc.cluster.local:9080}
   * or the same without the scheme.
   */
  public ManagedChannel channel(String target) {
    return channelBuilder(target).build();
  }

  /** A channel builder for {@code target}, for callers that add their own options. */
  public ManagedChannelBuilder<?> channelBuilder(String target) {
    requireNonNull(target, "target");
    String path = target.startsWith("xds:///") ? target.substring("xds:///".length()) : target;
    if (path.isEmpty() || path.contains("/")) {
      throw new IllegalArgumentException(
          "target: '" + target + "' (expected: xds:///host:port or host:port)");
    }
    return Grpc.newChannelBuilder(scheme + ":///" + path, InsecureChannelCredentials.create());
  }

  /** Unregisters the resolver; channels made earlier keep working until shut down. */
  @Override
  public void close() {
    NameResolverRegistry.getDefaultRegistry().deregister(resolver);
  }

  /** Configures {@link XdsChannels}. */
  public static final class Builder {
    private final List<String> servers;
    private String nodeId = "inboard~" + UUID.randomUUID();
    private final Map<String, String> metadata = new LinkedHashMap<>();

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

    /** Adds node metadata the control plane sees (default: none). */
    public Builder metadata(String key, String value) {
      metadata.put(requireNonNull(key, "key"), requireNonNull(value, "value"));
      return this;
    }

    public XdsChannels build() {
      return new XdsChannels(this);
    }
  }
}
