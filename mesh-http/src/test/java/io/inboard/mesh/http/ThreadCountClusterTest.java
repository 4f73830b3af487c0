package io.inboard.mesh.http;

import static io.inboard.mesh.http.TestCluster.get;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ThreadCountClusterTest {

  private static final int CONCURRENCY = 32;

  @RegisterExtension
  final TestCluster fx = new TestCluster().service("reviews");

  private static int run(MeshHttpClient http, int requests) {
    Semaphore inFlight = new Semaphore(CONCURRENCY);
    AtomicInteger ok = new AtomicInteger();
    CompletableFuture<?>[] calls = new CompletableFuture<?>[requests];
    for (int i = 0; i < requests; i++) {
      inFlight.acquireUninterruptibly();
      calls[i] = http.sendAsync(get("http://reviews:9080/r/" + i), BodyHandlers.ofString())
          .whenComplete((r, e) -> {
            inFlight.release();
            if (e == null && r.statusCode() == 200) {
              ok.incrementAndGet();
            }
          });
    }
    CompletableFuture.allOf(calls).join();
    return ok.get();
  }

  @Test
  void threadCountStaysFlatUnder2000Requests() {
    fx.pod("reviews", "reviews-v1-0", "127.0.0.2");
    fx.pod("reviews", "reviews-v1-1", "127.0.0.3");
    MeshHttpClient http = MeshHttpClient.of(fx.mesh());
    // Warm up at the same concurrency, so pools reach their working size first.
    assertThat(run(http, 200)).isEqualTo(200);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    int liveBefore = threads.getThreadCount();
    long startedBefore = threads.getTotalStartedThreadCount();
    long backendBefore = backendThreads();

    assertThat(run(http, 2000)).isEqualTo(2000);

    // The backends are not under test: their pools grow with the calls in flight. Their threads
    // idle for 60 s before retiring, so every one started during the run is still alive here.
    long backendStarted = backendThreads() - backendBefore;
    // A thread per request would start ~2000. Tolerance: 5 threads for unrelated JVM and fabric8
    // activity during the run.
    assertThat(threads.getTotalStartedThreadCount() - startedBefore - backendStarted)
        .isLessThanOrEqualTo(5);
    // Only growth matters: threads of earlier tests in this JVM may retire meanwhile.
    assertThat(threads.getThreadCount() - liveBefore - backendStarted).isLessThanOrEqualTo(5);
  }

  /** Live threads of the kit's HTTP backends (named {@code http-backend-<ip>-<n>}). */
  private static long backendThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("http-backend-")).count();
  }
}
