package io.inboard.e2e.security;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Calls one after another on their own thread until stopped, counting answers and keeping every
 * answer that was not the expected one.
 */
final class CallLoad implements AutoCloseable {
  private final Thread thread;
  private final AtomicInteger calls = new AtomicInteger();
  private final List<String> failures = new CopyOnWriteArrayList<>();
  private volatile boolean stopped;

  CallLoad(String name, Supplier<String> call, String expectedPrefix) {
    thread = new Thread(() -> {
      while (!stopped) {
        String answer = call.get();
        calls.incrementAndGet();
        if (!answer.startsWith(expectedPrefix)) {
          failures.add(System.currentTimeMillis() % 100_000 + " " + answer);
        }
      }
    }, "load-" + name);
    thread.setDaemon(true);
    thread.start();
  }

  int calls() {
    return calls.get();
  }

  List<String> failures() {
    return List.copyOf(failures);
  }

  @Override
  public void close() throws InterruptedException {
    stopped = true;
    thread.join(30_000);
  }
}
