package io.inboard.mesh.api.internal;

import io.inboard.mesh.api.DiscoveryMode;
import io.inboard.mesh.api.ServiceName;
import io.inboard.mesh.api.ServiceUnavailableException;
import io.inboard.mesh.api.discovery.EndpointDiscovery;
import io.inboard.mesh.api.discovery.EndpointListener;

/**
 * A mesh's discovery in {@link DiscoveryMode#XDS} when no provider for that mode is on the class
 * path: endpoints then reach only xDS-aware clients (mesh-grpc channels), so every watch here is
 * answered with an error that says so instead of waiting forever.
 */
public final class XdsModeDiscovery implements EndpointDiscovery {

  @Override
  public Subscription subscribe(ServiceName service, EndpointListener listener) {
    listener.onError(new ServiceUnavailableException(service,
        ServiceUnavailableException.Reason.NOT_YET_DISCOVERED,
        "in XDS mode endpoints come from the control plane to xDS clients (expected: a channel"
            + " from mesh-grpc's MeshChannels or MeshGrpc, or a discovery provider for XDS on"
            + " the class path)"));
    return () -> { };
  }

  @Override
  public void close() {}
}
