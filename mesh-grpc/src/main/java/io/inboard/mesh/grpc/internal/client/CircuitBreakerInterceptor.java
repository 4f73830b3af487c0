package io.inboard.mesh.grpc.internal.client;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.inboard.mesh.api.ServiceName;
import io.inboard.mesh.api.ServiceUnavailableException;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Guards calls to one service with a resilience4j circuit breaker. It sits outside gRPC's retries,
 * so a call and all its retries count once.
 *
 * <p>A call that closes with {@code UNAVAILABLE}, {@code DEADLINE_EXCEEDED}, {@code INTERNAL},
 * {@code UNKNOWN} or {@code RESOURCE_EXHAUSTED} is a failure: those mean the service (or the way
 * to it) is unwell. {@code CANCELLED} is the caller's choice and counts neither way. Every other
 * status, {@code OK} and application errors such as {@code NOT_FOUND}, is a success.
 */
public final class CircuitBreakerInterceptor implements ClientInterceptor {

  /** The statuses that count as failures. */
  public static final Set<Status.Code> FAILURES = EnumSet.of(Status.Code.UNAVAILABLE,
      Status.Code.DEADLINE_EXCEEDED, Status.Code.INTERNAL, Status.Code.UNKNOWN,
      Status.Code.RESOURCE_EXHAUSTED);

  private final CircuitBreaker breaker;
  private final Status open;

  public CircuitBreakerInterceptor(ServiceName service, CircuitBreaker breaker) {
    this.breaker = breaker;
    ServiceUnavailableException circuitOpen = new ServiceUnavailableException(
        service, ServiceUnavailableException.Reason.CIRCUIT_OPEN, null);
    // the cause tells telemetry the call was shed (UO), not just what the message says
    this.open = Status.UNAVAILABLE.withDescription(circuitOpen.getMessage())
        .withCause(circuitOpen);
  }

  @Override
  public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
      MethodDescriptor<ReqT, RespT> method, CallOptions callOptions, Channel next) {
    if (!breaker.tryAcquirePermission()) {
      return new FailedCall<>(open);
    }
    return new GuardedCall<>(next.newCall(method, callOptions));
  }

  private final class GuardedCall<ReqT, RespT>
      extends ForwardingClientCall.SimpleForwardingClientCall<ReqT, RespT> {
    private final long startNanos = System.nanoTime();
    private volatile boolean started;

    GuardedCall(ClientCall<ReqT, RespT> delegate) {
      super(delegate);
    }

    @Override
    public void start(Listener<RespT> listener, Metadata headers) {
      started = true;
      super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
        @Override
        public void onClose(Status status, Metadata trailers) {
          record(status);
          super.onClose(status, trailers);
        }
      }, headers);
    }

    @Override
    public void cancel(String message, Throwable cause) {
      if (!started) {
        // onClose will never come; give back the permission (it matters when half-open).
        breaker.releasePermission();
      }
      super.cancel(message, cause);
    }

    private void record(Status status) {
      long nanos = System.nanoTime() - startNanos;
      if (status.getCode() == Status.Code.CANCELLED) {
        breaker.releasePermission();
      } else if (FAILURES.contains(status.getCode())) {
        breaker.onError(nanos, TimeUnit.NANOSECONDS, status.asRuntimeException());
      } else {
        breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
      }
    }
  }
}
