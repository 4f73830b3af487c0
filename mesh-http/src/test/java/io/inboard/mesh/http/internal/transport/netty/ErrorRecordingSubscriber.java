package io.inboard.mesh.http.internal.transport.netty;

import java.net.http.HttpResponse.BodySubscriber;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A body subscriber that passes everything to {@code delegate} and records when it was
 * subscribed and the error it got, for tests of cancelled and broken responses.
 */
public record ErrorRecordingSubscriber<T>(BodySubscriber<T> delegate,
    AtomicReference<Throwable> error, CountDownLatch subscribed) implements BodySubscriber<T> {

  public ErrorRecordingSubscriber(BodySubscriber<T> delegate, AtomicReference<Throwable> error) {
    this(delegate, error, new CountDownLatch(1));
  }

  @Override
  public CompletionStage<T> getBody() {
    return delegate.getBody();
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    delegate.onSubscribe(s);
    subscribed.countDown();
  }

  @Override
  public void onNext(List<ByteBuffer> item) {
    delegate.onNext(item);
  }

  @Override
  public void onError(Throwable t) {
    error.set(t);
    delegate.onError(t);
  }

  @Override
  public void onComplete() {
    delegate.onComplete();
  }
}
