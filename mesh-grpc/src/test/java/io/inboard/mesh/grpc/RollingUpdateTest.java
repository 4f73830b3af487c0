package io.inboard.mesh.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.inboard.mesh.api.policy.ClientPolicy;
import io.inboard.mesh.api.policy.RetryOn;
import io.inboard.mesh.api.policy.RetryPolicy;
import io.inboard.mesh.testing.GrpcBackendExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RollingUpdateTest {

  @RegisterExtension
  final TestCluster cluster = new TestCluster();
  private final ExecutorService callers = Executors.newFixedThreadPool(2);

  @AfterEach
  void tearDown() {
    callers.shutdownNow();
  }

  @Test
  void rollingUpdateUnderContinuousCallsWithRetriesFailsNoCall() throws Exception {
    cluster.addPod("echo-old-0");
    cluster.addPod("echo-old-1");
    ManagedChannel ch = MeshChannels.forService(cluster.mesh(), TestCluster.TARGET)
        .policy(ClientPolicy.builder().retry(RetryPolicy.of(3, Duration.ZERO,
            RetryOn.parse("connect-failure,refused-stream,unavailable"))).build())
        .build();
    Calls.call(ch); // connected before the load starts

    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger succeeded = new AtomicInteger();
    List<StatusRuntimeException> failed = new CopyOnWriteArrayList<>();
    for (int i = 0; i < 2; i++) {
      callers.submit(() -> {
        while (running.get()) {
          try {
            Calls.call(ch);
            succeeded.incrementAndGet();
          } catch (StatusRuntimeException e) {
            failed.add(e);
          }
        }
      });
    }

    for (int i = 0; i < 2; i++) {
      // maxSurge 1, maxUnavailable 0: a new pod is ready and serving before an old one goes.
      GrpcBackendExtension fresh = cluster.addPod("echo-new-" + i);
      await().atMost(Duration.ofSeconds(20)).until(() -> fresh.calls() > 0);
      cluster.startTerminating("echo-old-" + i);
      cluster.deletePod("echo-old-" + i);
      cluster.stopBackend("echo-old-" + i); // preStop: only after the pod is gone
    }
    int afterUpdate = succeeded.get();
    await().atMost(Duration.ofSeconds(20)).until(() -> succeeded.get() > afterUpdate + 100);
    running.set(false);
    callers.shutdown();
    assertThat(callers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

    assertThat(failed).isEmpty();
    assertThat(succeeded.get()).isGreaterThan(100);
  }
}
