package io.inboard.mesh.grpc.internal.inbound;

import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.ServerStreamTracer;
import io.inboard.mesh.grpc.internal.telemetry.WireText;

/**
 * Counts one inbound call's wire bytes, for {@code istio_request_bytes} and
 * {@code istio_response_bytes}. A server built with {@code MeshGrpc.serverBuilder} has the
 * {@link #FACTORY}; the tracer puts itself in the call's {@link Context}, where
 * {@link InboundCalls} finds it. A server that only has the interceptor has none, and its
 * reports say the sizes are unknown ({@code -1}).
 */
public final class InboundStreamTracer extends ServerStreamTracer {

  /** For {@code ServerBuilder.addStreamTracerFactory}. */
  public static final ServerStreamTracer.Factory FACTORY = new ServerStreamTracer.Factory() {
    @Override
    public ServerStreamTracer newServerStreamTracer(String fullMethodName, Metadata headers) {
      return new InboundStreamTracer();
    }
  };

  static final Context.Key<InboundStreamTracer> KEY = Context.key("inboard.inboundWire");

  // each written by one thread (the transport's, or the one sending), read after close
  private long receivedBytes;
  private long receivedMessages;
  private long sentBytes;
  private long sentMessages;

  private InboundStreamTracer() {}

  @Override
  public Context filterContext(Context context) {
    return context.withValue(KEY, this);
  }

  @Override
  public void inboundMessage(int seqNo) {
    receivedMessages++;
  }

  @Override
  public void inboundWireSize(long bytes) {
    receivedBytes += bytes;
  }

  @Override
  public void outboundMessage(int seqNo) {
    sentMessages++;
  }

  @Override
  public void outboundWireSize(long bytes) {
    sentBytes += bytes;
  }

  /** The HTTP/2 body bytes received. */
  long requestBytes() {
    return WireText.bodyBytes(receivedBytes, receivedMessages);
  }

  /** The HTTP/2 body bytes sent. */
  long responseBytes() {
    return WireText.bodyBytes(sentBytes, sentMessages);
  }
}
