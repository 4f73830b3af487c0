package io.inboard.mesh.controlplane.internal.ca;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/** Hands the call's {@code authorization} metadata to the service through the gRPC context. */
final class BearerTokenInterceptor implements ServerInterceptor {
  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  static final Context.Key<String> HEADER = Context.key("inboard-ca-authorization");

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    String value = headers.get(AUTHORIZATION);
    return value == null ? next.startCall(call, headers)
        : Contexts.interceptCall(Context.current().withValue(HEADER, value), call, headers, next);
  }
}
