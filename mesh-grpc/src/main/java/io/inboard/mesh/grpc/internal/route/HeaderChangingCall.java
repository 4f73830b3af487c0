package io.inboard.mesh.grpc.internal.route;

import io.grpc.ClientCall;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.Status;

/**
 * Applies a route's header changes: to the request's metadata when the call starts, and to the
 * response's headers; for a trailers-only response (an error without headers) to its trailers,
 * which then carry the response headers, as Envoy applies them to such a response.
 */
final class HeaderChangingCall<Q, R> extends ForwardingClientCall.SimpleForwardingClientCall<Q, R> {
  private final GrpcRoutePolicy policy;

  HeaderChangingCall(ClientCall<Q, R> delegate, GrpcRoutePolicy policy) {
    super(delegate);
    this.policy = policy;
  }

  @Override
  public void start(Listener<R> listener, Metadata headers) {
    policy.requestHeaders().apply(headers);
    if (!policy.responseHeaders().isEmpty()) {
      listener = new ResponseListener<>(listener, policy.responseHeaders());
    }
    super.start(listener, headers);
  }

  private static final class ResponseListener<R>
      extends ForwardingClientCallListener.SimpleForwardingClientCallListener<R> {
    private final HeaderChanges changes;
    private boolean sawHeaders;

    ResponseListener(Listener<R> delegate, HeaderChanges changes) {
      super(delegate);
      this.changes = changes;
    }

    @Override
    public void onHeaders(Metadata headers) {
      sawHeaders = true;
      changes.apply(headers);
      super.onHeaders(headers);
    }

    @Override
    public void onClose(Status status, Metadata trailers) {
      if (!sawHeaders) {
        changes.apply(trailers);
      }
      super.onClose(status, trailers);
    }
  }
}
