package io.inboard.mesh.grpc.internal.k8s;

import io.grpc.NameResolver;
import io.inboard.mesh.api.ServiceUnavailableException;

/**
 * What one channel's resolver last learned: nothing yet, endpoints, or an error. Shared between
 * the resolver (writer) and {@link ResolutionGuardInterceptor} (reader), so that calls fail fast
 * with the mesh's message while the service cannot be resolved.
 *
 * <p>This exists because gRPC's load balancers keep using their old connections when a resolver
 * reports an error after a good result: without it, a service scaled to zero would keep being
 * called on its vanished pods' connections.
 */
public final class ResolutionState {

  /** The name-resolver argument carrying a channel's state. */
  public static final NameResolver.Args.Key<ResolutionState> KEY =
      NameResolver.Args.Key.create("inboard.resolutionState");

  private volatile ServiceUnavailableException error;

  /** The current resolution error, or {@code null} when resolved or not yet known. */
  public ServiceUnavailableException error() {
    return error;
  }

  void failed(ServiceUnavailableException e) {
    error = e;
  }

  void resolved() {
    error = null;
  }
}
