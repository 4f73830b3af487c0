package io.inboard.mesh.grpc.internal.client;

import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.Status;

/** A call that never reaches the network: it closes with {@code status} as soon as it starts. */
public final class FailedCall<ReqT, RespT> extends ClientCall<ReqT, RespT> {

  private final Status status;

  public FailedCall(Status status) {
    this.status = status;
  }

  @Override
  public void start(Listener<RespT> listener, Metadata headers) {
    listener.onClose(status, new Metadata());
  }

  @Override
  public void request(int numMessages) {}

  @Override
  public void cancel(String message, Throwable cause) {}

  @Override
  public void halfClose() {}

  @Override
  public void sendMessage(ReqT message) {}
}
