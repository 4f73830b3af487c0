package io.inboard.mesh.http.internal.transport.netty;

import io.inboard.mesh.http.internal.transport.ResponseTrailers;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse.BodySubscriber;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicReference;

/** A body subscriber that records the trailers the transport hands over, into {@code got}. */
record TrailerRecorder(BodySubscriber<String> delegate, AtomicReference<HttpHeaders> got)
    implements BodySubscriber<String>, ResponseTrailers {
  @Override
  public void onTrailers(HttpHeaders t) {
    got.set(t);
  }

  @Override
  public CompletionStage<String> getBody() {
    return delegate.getBody();
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    delegate.onSubscribe(s);
  }

  @Override
  public void onNext(List<ByteBuffer> item) {
    delegate.onNext(item);
  }

  @Override
  public void onError(Throwable t) {
    delegate.onError(t);
  }

  @Override
  public void onComplete() {
    delegate.onComplete();
  }
}
