package io.inboard.mesh.grpc.internal.inbound;

import io.grpc.ForwardingServerCallListener;
import io.grpc.ServerCall;
import io.inboard.mesh.api.context.RequestContext;
import io.inboard.mesh.api.context.Scope;

/**
 * Runs each listener callback with the call's {@link RequestContext} current, as gRPC's own
 * {@code Contexts.interceptCall} does for {@code io.grpc.Context}: the application's handler
 * runs inside these callbacks, on whichever executor thread gRPC picked. It also tells the call
 * about each request message and about the client cancelling, for its report.
 */
final class ContextListener<ReqT> extends ForwardingServerCallListener.SimpleForwardingServerCallListener<ReqT> {

  private final RequestContext context;
  private final InboundServerCall<ReqT, ?> call;

  ContextListener(ServerCall.Listener<ReqT> delegate, RequestContext context,
      InboundServerCall<ReqT, ?> call) {
    super(delegate);
    this.context = context;
    this.call = call;
  }

  @Override
  public void onMessage(ReqT message) {
    call.received();
    try (Scope s = context.makeCurrent()) {
      super.onMessage(message);
    }
  }

  @Override
  public void onHalfClose() {
    try (Scope s = context.makeCurrent()) {
      super.onHalfClose();
    }
  }

  @Override
  public void onCancel() {
    call.cancelled();
    try (Scope s = context.makeCurrent()) {
      super.onCancel();
    }
  }

  @Override
  public void onComplete() {
    try (Scope s = context.makeCurrent()) {
      super.onComplete();
    }
  }

  @Override
  public void onReady() {
    try (Scope s = context.makeCurrent()) {
      super.onReady();
    }
  }
}
