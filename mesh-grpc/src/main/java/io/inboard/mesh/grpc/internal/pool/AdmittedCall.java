package io.inboard.mesh.grpc.internal.pool;

import io.grpc.Attributes;
import io.grpc.ClientCall;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.Status;
import io.inboard.mesh.api.ServiceUnavailableException;
import java.util.concurrent.Executor;

/**
 * A call of a cluster with connection-pool limits, admitted as Envoy admits a request to an
 * HTTP/2 cluster: over {@code maxRequests} calls in flight it is shed at once, before anything
 * is sent; a call that finds no connection ready to carry its stream waits for one, and is shed
 * when {@code maxPendingRequests} calls wait already. A shed call ends {@code UNAVAILABLE} with a
 * {@link ServiceUnavailableException} of reason {@code OVERLOADED} as cause (telemetry flags it
 * {@code UO}).
 *
 * <p>The slot is given back in the listener's {@code onClose}. grpc-xds's own {@code
 * max_requests} counter (cluster_impl) decrements in its stream tracer's {@code streamClosed},
 * which grpc calls before the stream listener's {@code closed} ({@code AbstractClientStream
 * .TransportState.closeListener}), and {@code ClientCallImpl} calls {@code onClose} only from
 * that; so grpc never counts more calls in flight than this pool admitted, and never sheds one
 * of them itself.
 */
final class AdmittedCall<Q, R> extends ForwardingClientCall.SimpleForwardingClientCall<Q, R> {

  private final ClusterPool pool;
  private final Executor executor;
  private final WaitingStream waiting;
  /** Shed (before it started, or while it waited): every later operation is dropped. */
  private volatile boolean shed;
  /** Shed while it waited for a connection: its cancellation is reported as this refusal. */
  private volatile ServiceUnavailableException refusedWaiting;

  /**
   * @param delegate the call, made with {@code waiting} among its stream tracers when the pool
   *     limits waiting calls
   * @param waiting the call's waiting state, or null when waiting calls are not limited
   */
  AdmittedCall(ClusterPool pool, ClientCall<Q, R> delegate, Executor executor,
      WaitingStream waiting) {
    super(delegate);
    this.pool = pool;
    this.executor = executor;
    this.waiting = waiting;
  }

  @Override
  public void start(Listener<R> listener, Metadata headers) {
    if (!pool.tryAdmit()) {
      shed = true;
      ServiceUnavailableException refused = pool.overloaded();
      Status status = Status.UNAVAILABLE.withDescription(refused.getMessage()).withCause(refused);
      executor.execute(() -> listener.onClose(status, new Metadata()));
      return;
    }
    try {
      delegate().start(new Releasing(listener), headers);
    } catch (RuntimeException | Error e) {
      pool.release();
      throw e;
    }
    if (waiting != null && !waiting.started()) {
      ServiceUnavailableException refused = pool.overloadedWaiting();
      refusedWaiting = refused;
      shed = true; // the caller goes on sending into a call it does not know is cancelled
      delegate().cancel(refused.getMessage(), refused);
    }
  }

  @Override
  public void request(int numMessages) {
    if (!shed) {
      delegate().request(numMessages);
    }
  }

  @Override
  public void sendMessage(Q message) {
    if (!shed) {
      delegate().sendMessage(message);
    }
  }

  @Override
  public void halfClose() {
    if (!shed) {
      delegate().halfClose();
    }
  }

  @Override
  public void setMessageCompression(boolean enabled) {
    if (!shed) {
      delegate().setMessageCompression(enabled);
    }
  }

  @Override
  public void cancel(String message, Throwable cause) {
    if (!shed) {
      delegate().cancel(message, cause);
    }
  }

  @Override
  public boolean isReady() {
    return !shed && delegate().isReady();
  }

  @Override
  public Attributes getAttributes() {
    return shed && refusedWaiting == null ? Attributes.EMPTY : delegate().getAttributes();
  }

  /** Gives the slot back when the call closes (see the class comment for the ordering). */
  private final class Releasing
      extends ForwardingClientCallListener.SimpleForwardingClientCallListener<R> {
    private boolean released;

    Releasing(Listener<R> delegate) {
      super(delegate);
    }

    @Override
    public void onClose(Status status, Metadata trailers) {
      if (!released) {
        released = true;
        pool.release();
        if (waiting != null) {
          waiting.closed();
        }
      }
      ServiceUnavailableException refused = refusedWaiting;
      if (refused != null && status.getCode() == Status.Code.CANCELLED) {
        status = Status.UNAVAILABLE.withDescription(refused.getMessage()).withCause(refused);
      }
      super.onClose(status, trailers);
    }
  }
}
