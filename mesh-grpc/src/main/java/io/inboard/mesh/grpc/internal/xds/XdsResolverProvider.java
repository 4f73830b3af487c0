package io.inboard.mesh.grpc.internal.xds;

import static java.util.Objects.requireNonNull;

import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import io.inboard.mesh.xds.internal.InProcessXdsBootstrap;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * Resolves {@code <scheme>:///host:port} with grpc-xds through one shared xDS client, behind an
 * {@link InitialConfigGate}. Each owner registers its own scheme, because a channel builder's
 * own resolver factory is not reliably used for xDS targets.
 */
public final class XdsResolverProvider extends NameResolverProvider {

  private final String scheme;
  private final InProcessXdsBootstrap.SharedClient client;
  private final List<String> controlPlanes;
  private final Duration initialConfigTimeout;

  /**
   * @param controlPlanes named in the error when the first config is late
   * @param initialConfigTimeout how long calls wait for the first usable config
   */
  public XdsResolverProvider(String scheme, InProcessXdsBootstrap.SharedClient client,
      List<String> controlPlanes, Duration initialConfigTimeout) {
    this.scheme = requireNonNull(scheme, "scheme");
    this.client = requireNonNull(client, "client");
    this.controlPlanes = List.copyOf(controlPlanes);
    this.initialConfigTimeout = requireNonNull(initialConfigTimeout, "initialConfigTimeout");
  }

  @Override
  public NameResolver newNameResolver(URI targetUri, NameResolver.Args args) {
    if (!scheme.equals(targetUri.getScheme())) {
      return null;
    }
    String path = targetUri.getPath();
    if (path == null || !path.startsWith("/") || path.length() < 2) {
      throw new IllegalArgumentException(
          "target: '" + targetUri + "' (expected: " + scheme + ":///host:port)");
    }
    return InitialConfigGate.create(path.substring(1), args, client, controlPlanes,
        initialConfigTimeout);
  }

  @Override
  public String getDefaultScheme() {
    return scheme;
  }

  @Override
  protected boolean isAvailable() {
    return true;
  }

  /** Below DNS's 5, so that this scheme never becomes the default for plain targets. */
  @Override
  protected int priority() {
    return 4;
  }

  @Override
  public Collection<Class<? extends SocketAddress>> getProducedSocketAddressTypes() {
    return List.of(InetSocketAddress.class);
  }
}
