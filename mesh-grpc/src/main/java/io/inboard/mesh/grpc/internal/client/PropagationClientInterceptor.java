package io.inboard.mesh.grpc.internal.client;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.inboard.mesh.api.context.RequestContext;
import io.inboard.mesh.grpc.internal.metadata.MetadataKeys;

/**
 * Adds the propagated headers of the request being served ({@link RequestContext#current()},
 * read when the call starts, on the caller's thread) to each outbound call. A header the
 * application set itself on the call is left as it is.
 */
final class PropagationClientInterceptor implements ClientInterceptor {

  static final PropagationClientInterceptor INSTANCE = new PropagationClientInterceptor();

  private PropagationClientInterceptor() {}

  @Override
  public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
      MethodDescriptor<ReqT, RespT> method, CallOptions options, Channel next) {
    RequestContext ctx = RequestContext.current();
    ClientCall<ReqT, RespT> call = next.newCall(method, options);
    if (ctx == RequestContext.EMPTY) {
      return call;
    }
    return new ForwardingClientCall.SimpleForwardingClientCall<>(call) {
      @Override
      public void start(Listener<RespT> listener, Metadata headers) {
        ctx.forEach((name, value) -> {
          Metadata.Key<String> key = MetadataKeys.of(name);
          if (!headers.containsKey(key)) {
            headers.put(key, value);
          }
        });
        super.start(listener, headers);
      }
    };
  }
}
