package io.inboard.mesh.http.internal.telemetry;

import io.inboard.mesh.http.internal.transport.Requests;
import io.inboard.mesh.http.internal.transport.ResponseTrailers;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.ResponseInfo;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * The caller's body handler, noting for telemetry when each attempt's response headers came
 * (the upstream service time) and the response body's size: its {@code Content-Length}, or,
 * without one, the bytes counted as they pass (the subscriber is wrapped only then).
 */
final class CountingBodyHandler<T> implements BodyHandler<T> {

  private final BodyHandler<T> handler;
  private final CallObservation call;

  CountingBodyHandler(BodyHandler<T> handler, CallObservation call) {
    this.handler = handler;
    this.call = call;
  }

  @Override
  public BodySubscriber<T> apply(ResponseInfo info) {
    call.headersArrived();
    BodySubscriber<T> subscriber = handler.apply(info);
    long length = Requests.longValue(Requests.header(info, "content-length"));
    if (length >= 0) {
      call.responseBytes = length;
      return subscriber;
    }
    call.responseBytes = 0;
    return new Counting<>(subscriber, call);
  }

  private record Counting<T>(BodySubscriber<T> delegate, CallObservation call)
      implements BodySubscriber<T>, ResponseTrailers {
    @Override
    public CompletionStage<T> getBody() {
      return delegate.getBody();
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      delegate.onSubscribe(subscription);
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
      long n = 0;
      for (ByteBuffer b : item) {
        n += b.remaining();
      }
      call.responseBytes += n; // onNext calls are serial (Flow's rule)
      delegate.onNext(item);
    }

    @Override
    public void onError(Throwable throwable) {
      delegate.onError(throwable);
    }

    @Override
    public void onTrailers(HttpHeaders trailers) {
      // gRPC's status travels in the trailers: pass them on to a subscriber that wants them
      if (delegate instanceof ResponseTrailers wants) {
        wants.onTrailers(trailers);
      }
    }

    @Override
    public void onComplete() {
      delegate.onComplete();
    }
  }
}
