package io.inboard.mesh.http.internal.transport;

import java.net.http.HttpHeaders;

/**
 * Implemented by a {@code BodySubscriber} that wants the response's trailers (gRPC's
 * {@code grpc-status} travels in them), which the JDK's response types cannot carry. A transport
 * that reads trailers ({@link TransportKind#NETTY}) calls {@link #onTrailers} once, before the
 * subscriber's {@code onComplete}, when the response has any; the JDK transport never does.
 */
public interface ResponseTrailers {
  /** The response's trailers, as received. */
  void onTrailers(HttpHeaders trailers);
}
