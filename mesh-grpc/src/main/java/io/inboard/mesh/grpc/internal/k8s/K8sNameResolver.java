package io.inboard.mesh.grpc.internal.k8s;

import static java.util.Objects.requireNonNull;

import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.Status;
import io.grpc.SynchronizationContext;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.ServiceName;
import io.inboard.mesh.api.ServiceUnavailableException;
import io.inboard.mesh.api.discovery.Endpoint;
import io.inboard.mesh.api.discovery.EndpointDiscovery;
import io.inboard.mesh.api.discovery.EndpointListener;
import io.inboard.mesh.api.discovery.ServiceEndpoints;
import io.inboard.mesh.api.internal.InternalMesh;
import java.util.List;

/**
 * Resolves one service through a mesh's discovery. Discovery pushes changes; this resolver hands
 * each one to gRPC on the channel's synchronization context, so it never polls and never talks to
 * the Kubernetes API itself.
 */
public final class K8sNameResolver extends NameResolver {

  /** The target scheme, published as {@code MeshNameResolverProvider.SCHEME}. */
  public static final String SCHEME = "k8s";

  /**
   * The name-resolver argument carrying the mesh a {@code k8s:///} target resolves in, published
   * as {@code MeshNameResolverProvider.MESH}. Defined here so that this package does not depend
   * on the public one.
   */
  public static final NameResolver.Args.Key<Mesh> MESH_ARG =
      NameResolver.Args.Key.create("inboard.mesh");

  private final Mesh mesh;
  private final ServiceName service;
  private final SynchronizationContext syncContext;
  private final ResolutionState state;
  private final String authority;
  private final Status missingMesh;
  private Listener2 listener;
  private EndpointDiscovery.Subscription subscription;
  private boolean shutdown;

  /** A resolver for {@code service}, recording what it learns in {@code state}. */
  public K8sNameResolver(
      Mesh mesh, ServiceName service, SynchronizationContext syncContext, ResolutionState state) {
    this.mesh = requireNonNull(mesh, "mesh");
    this.service = requireNonNull(service, "service");
    this.syncContext = requireNonNull(syncContext, "syncContext");
    this.state = requireNonNull(state, "state");
    String host = service.fqdn(mesh.settings().clusterDomain());
    this.authority = service.port() != 0 ? host + ":" + service.port() : host;
    this.missingMesh = null;
  }

  private K8sNameResolver(String target, SynchronizationContext syncContext) {
    this.mesh = null;
    this.service = null;
    this.syncContext = syncContext;
    this.state = new ResolutionState();
    this.authority = target.replaceFirst("^k8s:///", "").replaceFirst(":[^:]*$", "");
    this.missingMesh = Status.UNAVAILABLE.withDescription("target '" + target
        + "' has no mesh (expected: a channel from MeshChannels.forService(...), or"
        + " setNameResolverArg(MeshNameResolverProvider.MESH, mesh) on the channel builder)");
  }

  /** A resolver that reports, on start, that the channel was built without a mesh. */
  public static K8sNameResolver withoutMesh(String target, SynchronizationContext syncContext) {
    return new K8sNameResolver(target, syncContext);
  }

  @Override
  public String getServiceAuthority() {
    return authority;
  }

  @Override
  public void start(Listener2 listener) {
    this.listener = requireNonNull(listener, "listener");
    if (missingMesh != null) {
      listener.onError(missingMesh);
      return;
    }
    // Discovery may call back at once, on this thread; execute() queues behind start().
    subscription = InternalMesh.discovery(mesh).subscribe(service, new EndpointListener() {
      @Override
      public void onEndpoints(ServiceEndpoints endpoints) {
        syncContext.execute(() -> publish(endpoints));
      }

      @Override
      public void onError(ServiceUnavailableException error) {
        syncContext.execute(() -> fail(error));
      }
    });
  }

  private void publish(ServiceEndpoints endpoints) {
    if (shutdown) {
      return;
    }
    List<Endpoint> routable = endpoints.routable();
    if (routable.isEmpty()) {
      // gRPC would report an empty list as its own anonymous error; say which service it is.
      fail(new ServiceUnavailableException(
          service, ServiceUnavailableException.Reason.NO_READY_ENDPOINTS, null));
      return;
    }
    List<EquivalentAddressGroup> groups = EndpointAddresses.of(routable);
    state.resolved();
    listener.onResult2(ResolutionResult.newBuilder().setAddresses(groups).build());
  }

  private void fail(ServiceUnavailableException error) {
    if (shutdown) {
      return;
    }
    state.failed(error);
    // the cause tells telemetry why calls failed (UH, NR), not just what the message says
    listener.onError(Status.UNAVAILABLE.withDescription(error.getMessage()).withCause(error));
  }

  /** Nothing to do: discovery pushes every change as it happens. */
  @Override
  public void refresh() {}

  @Override
  public void shutdown() {
    if (shutdown) {
      return;
    }
    shutdown = true;
    // The channel may go idle and start a new resolver later; a stale error must not block it.
    state.resolved();
    if (subscription != null) {
      subscription.close();
    }
  }
}
