package io.inboard.mesh.grpc.internal.route;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.ForwardingClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A unary call that, once its request is complete, also sends a copy of it to each sampled
 * mirror, fire and forget: through the mirror's own channel ({@link MirrorChannels}), with the
 * request's metadata (header changes applied), authority {@code <host>-shadow[:port]}, the
 * call's deadline, and outside the caller's {@link Context} so that the caller finishing or
 * cancelling does not cancel the copy. Copies' responses are discarded, and nothing about them
 * ever reaches the caller.
 */
final class MirroringCall<Q, R> extends ForwardingClientCall.SimpleForwardingClientCall<Q, R> {
  private static final Logger log = LoggerFactory.getLogger(MirroringCall.class);

  private final MethodDescriptor<Q, R> method;
  private final Deadline deadline;
  private final String authority;
  private final List<MirrorPolicy> mirrors;
  private final MirrorChannels channels;
  private Metadata headers;
  private RequestCopy<Q> request;

  MirroringCall(ClientCall<Q, R> delegate, MethodDescriptor<Q, R> method, Deadline deadline,
      String authority, List<MirrorPolicy> mirrors, MirrorChannels channels) {
    super(delegate);
    this.method = method;
    this.deadline = deadline;
    this.authority = authority;
    this.mirrors = mirrors;
    this.channels = channels;
  }

  @Override
  public void start(Listener<R> listener, Metadata headers) {
    this.headers = headers;
    super.start(listener, headers);
  }

  @Override
  public void sendMessage(Q message) {
    request = RequestCopy.of(message);
    super.sendMessage(request.get());
  }

  @Override
  public void halfClose() {
    super.halfClose();
    if (request == null || headers == null) {
      return;
    }
    for (MirrorPolicy mirror : mirrors) {
      send(mirror);
    }
  }

  private void send(MirrorPolicy mirror) {
    ManagedChannel channel = channels.channel(mirror.listener());
    if (channel == null) {
      return;
    }
    CallOptions options = CallOptions.DEFAULT.withAuthority(mirror.shadowAuthority(authority));
    if (deadline != null) {
      options = options.withDeadline(deadline);
    }
    Metadata copy = new Metadata();
    copy.merge(headers);
    Context previous = Context.ROOT.attach();
    try {
      ClientCall<Q, R> call = channel.newCall(method, options);
      call.start(discarding(), copy);
      call.request(1);
      call.sendMessage(request.get());
      call.halfClose();
    } catch (RuntimeException e) {
      log.debug("mirror of {} to {} not sent", method.getFullMethodName(), mirror.cluster(), e);
    } finally {
      Context.ROOT.detach(previous);
    }
  }

  @SuppressWarnings("unchecked")
  private static <R> Listener<R> discarding() {
    return (Listener<R>) Discard.INSTANCE;
  }

  /** Drops a copy's response; a failed copy is worth a debug line, never the caller's time. */
  private static final class Discard extends Listener<Object> {
    static final Discard INSTANCE = new Discard();

    @Override
    public void onClose(Status status, Metadata trailers) {
      if (!status.isOk() && log.isDebugEnabled()) {
        log.debug("mirrored call ended {}: {}", status.getCode(), status.getDescription());
      }
    }
  }

  /** The earlier of two deadlines, either possibly null. */
  static Deadline min(Deadline a, Deadline b) {
    return a == null ? b : b == null ? a : a.minimum(b);
  }

  /** The deadline a copy of a call gets: the call's own, bounded by the route timeout. */
  static Deadline copyDeadline(CallOptions options, long routeTimeoutNanos) {
    Deadline route = routeTimeoutNanos > 0
        ? Deadline.after(routeTimeoutNanos, TimeUnit.NANOSECONDS) : null;
    return min(min(options.getDeadline(), Context.current().getDeadline()), route);
  }
}
