package io.inboard.mesh.grpc.internal.client;

import io.grpc.Attributes;
import io.grpc.ClientStreamTracer;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.Status;
import io.inboard.mesh.api.internal.telemetry.MeshTracing;
import io.inboard.mesh.api.internal.telemetry.ResponseFlag;
import io.inboard.mesh.grpc.internal.metadata.MetadataKeys;
import io.inboard.mesh.grpc.internal.telemetry.ResponseFlags;
import io.inboard.mesh.grpc.internal.telemetry.WireText;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One attempt of an outbound call: where it went, what it sent and received on the wire, how it
 * ended, and its CLIENT span. When its stream is created on a connection, the trace headers the
 * propagation interceptor copied from the request being served are replaced by this attempt's
 * own, so the server's span is the attempt's child; with tracing off they go on unchanged.
 */
final class AttemptTracer extends ClientStreamTracer {

  private static final List<Metadata.Key<String>> TRACE_KEYS =
      MeshTracing.TRACE_HEADERS.stream().map(MetadataKeys::of).toList();

  private final CallAttempts call;
  private final int number;
  private final AttemptTracer previous;
  private final MeshTracing.Attempt span;
  private volatile boolean onConnection;
  private volatile Attributes transport = Attributes.EMPTY;
  private volatile String upstreamHost = "";
  private volatile boolean headersReceived;
  private volatile boolean trailersReceived;
  private volatile boolean retriedTransparently;
  private volatile int codeBit;
  private volatile long createdNanos;
  private volatile long answeredNanos;
  // each written by one thread (the sender's or the transport's), read after the call closed
  private long sentBytes;
  private long sentMessages;
  private long receivedBytes;
  private long receivedMessages;

  AttemptTracer(CallAttempts call, int number, AttemptTracer previous,
      MeshTracing.Attempt span) {
    this.call = call;
    this.number = number;
    this.previous = previous;
    this.span = span;
  }

  @Override
  public void streamCreated(Attributes transportAttrs, Metadata headers) {
    onConnection = true;
    createdNanos = System.nanoTime();
    transport = transportAttrs;
    upstreamHost = WireText.address(transportAttrs.get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
    if (span != MeshTracing.Attempt.NOOP) {
      for (Metadata.Key<String> k : TRACE_KEYS) {
        headers.discardAll(k);
      }
      span.inject((name, value) -> headers.put(MetadataKeys.of(name), value));
    }
  }

  @Override
  public void addOptionalLabel(String key, String value) {
    if (CallAttempts.BACKEND_SERVICE_LABEL.equals(key)) {
      call.cluster(value);
    }
  }

  @Override
  public void inboundHeaders() {
    answeredNanos = System.nanoTime();
    headersReceived = true;
    call.answeredBy(this);
  }

  @Override
  public void inboundTrailers(Metadata trailers) {
    if (!headersReceived) {
      answeredNanos = System.nanoTime(); // a trailers-only answer
    }
    trailersReceived = true;
    call.answeredBy(this);
  }

  @Override
  public void outboundMessage(int seqNo) {
    sentMessages++;
  }

  @Override
  public void outboundWireSize(long bytes) {
    sentBytes += bytes;
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
  public void streamClosed(Status status) {
    codeBit = retriedTransparently ? 0 : 1 << status.getCode().value();
    if (span == MeshTracing.Attempt.NOOP) {
      return;
    }
    int flags = ResponseFlags.client(status, trailersReceived, onConnection, 0);
    span.end(responded() ? 200 : 0, WireText.code(status.getCode()), ResponseFlag.text(flags),
        upstreamHost, status.isOk() || trailersReceived ? null : failure(status));
  }

  private static Throwable failure(Status status) {
    return status.getCause() != null ? status.getCause() : status.asRuntimeException();
  }

  void retriedTransparently() {
    retriedTransparently = true;
    codeBit = 0;
  }

  int number() {
    return number;
  }

  AttemptTracer previous() {
    return previous;
  }

  int codeBit() {
    return codeBit;
  }

  boolean onConnection() {
    return onConnection;
  }

  /** Whether an HTTP/2 response (headers, or trailers only) came back. */
  boolean responded() {
    return headersReceived || trailersReceived;
  }

  boolean trailersReceived() {
    return trailersReceived;
  }

  Attributes transport() {
    return transport;
  }

  String upstreamHost() {
    return upstreamHost;
  }

  /**
   * Envoy's {@code x-envoy-upstream-service-time}: from the stream's creation on its connection
   * to the server's first answer, in milliseconds; {@code -1} when there was none.
   */
  long serviceTimeMillis() {
    long created = createdNanos;
    long answered = answeredNanos;
    return created == 0 || answered == 0 ? -1
        : TimeUnit.NANOSECONDS.toMillis(answered - created);
  }

  /** The HTTP/2 body bytes sent. */
  long requestBytes() {
    return WireText.bodyBytes(sentBytes, sentMessages);
  }

  /** The HTTP/2 body bytes received. */
  long responseBytes() {
    return WireText.bodyBytes(receivedBytes, receivedMessages);
  }
}
