package io.inboard.mesh.k8s;

import io.inboard.mesh.api.ServiceUnavailableException;
import io.inboard.mesh.api.discovery.EndpointListener;
import io.inboard.mesh.api.discovery.ServiceEndpoints;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Records every callback, and whether any two ever overlapped or ran off the discovery thread. */
final class RecordingListener implements EndpointListener {

  final List<Object> events = new CopyOnWriteArrayList<>();
  final AtomicInteger overlaps = new AtomicInteger();
  final List<String> threads = new CopyOnWriteArrayList<>();
  private final AtomicInteger inFlight = new AtomicInteger();

  @Override
  public void onEndpoints(ServiceEndpoints endpoints) {
    record(endpoints);
  }

  @Override
  public void onError(ServiceUnavailableException error) {
    record(error);
  }

  private void record(Object event) {
    if (inFlight.incrementAndGet() > 1) {
      overlaps.incrementAndGet();
    }
    threads.add(Thread.currentThread().getName());
    events.add(event);
    inFlight.decrementAndGet();
  }

  /** The last callback's argument, or {@code null} before any. */
  Object last() {
    return events.isEmpty() ? null : events.get(events.size() - 1);
  }

  /** The last endpoints delivered; fails if the last callback was an error or none came. */
  ServiceEndpoints endpoints() {
    Object last = last();
    if (!(last instanceof ServiceEndpoints e)) {
      throw new AssertionError("expected endpoints, last callback was: " + last);
    }
    return e;
  }

  /** The last error delivered; fails if the last callback was endpoints or none came. */
  ServiceUnavailableException error() {
    Object last = last();
    if (!(last instanceof ServiceUnavailableException e)) {
      throw new AssertionError("expected an error, last callback was: " + last);
    }
    return e;
  }
}
