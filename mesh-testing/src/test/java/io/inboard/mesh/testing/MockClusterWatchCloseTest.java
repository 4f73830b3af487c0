package io.inboard.mesh.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Closing watches while events stream to them must never stall the mock API server (the race in
 * kubernetes-server-mock 8.0.0 that {@code WatchSafeCrudDispatcher} works around): every API
 * call right after a close answers promptly, and the server then stops within its own bound.
 */
class MockClusterWatchCloseTest {

  @Test
  void closingWatchesWhileEventsStreamLeavesTheServerResponsive() throws Exception {
    MockCluster cluster = MockCluster.start();
    AtomicBoolean writing = new AtomicBoolean(true);
    cluster.pod("churn", "default").ip("127.0.0.2").label("app", "churn").create();
    Thread writer = new Thread(() -> {
      boolean ready = false;
      while (writing.get()) {
        cluster.setReady("default", "churn", ready = !ready);
      }
    }, "pod-churn");
    writer.setDaemon(true);
    writer.start();
    try {
      for (int i = 0; i < 40; i++) {
        CountDownLatch events = new CountDownLatch(3);
        Watch watch = cluster.client().pods().inNamespace("default").watch(new Watcher<Pod>() {
          @Override
          public void eventReceived(Action action, Pod pod) {
            events.countDown();
          }

          @Override
          public void onClose(WatcherException cause) {}
        });
        assertThat(events.await(10, TimeUnit.SECONDS)).as("events on watch %d", i).isTrue();
        watch.close();
        long start = System.nanoTime();
        cluster.client().pods().inNamespace("default").withName("churn").get();
        // A stalled event loop answers after the mock's 30 s write bound; a healthy one at once.
        assertThat(Duration.ofNanos(System.nanoTime() - start))
            .as("API call after closing watch %d", i).isLessThan(Duration.ofSeconds(5));
      }
    } finally {
      writing.set(false);
      writer.join();
      cluster.close();
    }
  }
}
