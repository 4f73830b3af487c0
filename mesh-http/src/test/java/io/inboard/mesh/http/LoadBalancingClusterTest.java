package io.inboard.mesh.http;

import static io.inboard.mesh.http.TestCluster.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.inboard.mesh.api.policy.ClientPolicy;
import io.inboard.mesh.api.policy.RetryOn;
import io.inboard.mesh.api.policy.RetryPolicy;
import io.inboard.mesh.testing.HttpBackendExtension;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class LoadBalancingClusterTest {

  private static final String URI = "http://reviews:9080/reviews/0";

  @RegisterExtension
  final TestCluster fx = new TestCluster().service("reviews");

  private String call(MeshHttpClient http) throws Exception {
    HttpResponse<String> r = http.send(get(URI), BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }

  @Test
  void spreadsCallsOverAllReadyEndpointsAndNoneThatIsNotReady() throws Exception {
    HttpBackendExtension a = fx.pod("reviews", "reviews-v1-0", "127.0.0.2");
    HttpBackendExtension b = fx.pod("reviews", "reviews-v1-1", "127.0.0.3");
    HttpBackendExtension c = fx.pod("reviews", "reviews-v1-2", "127.0.0.4");
    HttpBackendExtension notReady = fx.pod("reviews", "reviews-v1-3", "127.0.0.5");
    fx.setReady("reviews-v1-3", false);
    MeshHttpClient http = MeshHttpClient.of(fx.mesh());
    // Wait until discovery has seen the readiness change (the pod was ready at first).
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      int before = notReady.calls();
      for (int i = 0; i < 6; i++) {
        call(http);
      }
      return notReady.calls() == before && a.calls() > 0 && b.calls() > 0 && c.calls() > 0;
    });
    int[] before = {a.calls(), b.calls(), c.calls(), notReady.calls()};

    for (int i = 0; i < 300; i++) {
      call(http);
    }

    // Round robin: 100 each; tolerance +-1 for where the rotation starts.
    assertThat(a.calls() - before[0]).isBetween(99, 101);
    assertThat(b.calls() - before[1]).isBetween(99, 101);
    assertThat(c.calls() - before[2]).isBetween(99, 101);
    assertThat(notReady.calls()).isEqualTo(before[3]);
  }

  @Test
  void seesScalingUpAndDownWithinOneSecond() throws Exception {
    HttpBackendExtension first = fx.pod("reviews", "reviews-v1-0", "127.0.0.2");
    MeshHttpClient http = MeshHttpClient.of(fx.mesh());
    assertThat(call(http)).isEqualTo("127.0.0.2");

    HttpBackendExtension second = fx.pod("reviews", "reviews-v1-1", "127.0.0.3");
    HttpBackendExtension third = fx.pod("reviews", "reviews-v1-2", "127.0.0.4");
    await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20)).until(() -> {
      call(http);
      return second.calls() > 0 && third.calls() > 0;
    });

    fx.cluster().deletePod(TestCluster.NAMESPACE, "reviews-v1-0");
    await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20)).until(() -> {
      int before = first.calls();
      for (int i = 0; i < 4; i++) {
        call(http);
      }
      return first.calls() == before;
    });
  }

  @Test
  void rollingUpdateUnderContinuousCallsFailsNoCall() throws Exception {
    List<String> oldPods = List.of("reviews-v1-0", "reviews-v1-1", "reviews-v1-2");
    for (int i = 0; i < oldPods.size(); i++) {
      fx.pod("reviews", oldPods.get(i), "127.0.0." + (2 + i));
    }
    MeshHttpClient http = MeshHttpClient.builder(fx.mesh())
        .policy("reviews", ClientPolicy.builder()
            .retry(RetryPolicy.of(3, Duration.ofSeconds(1),
                RetryOn.parse("connect-failure,reset,5xx")))
            .build())
        .build();
    call(http);

    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger ok = new AtomicInteger();
    List<Throwable> failures = new ArrayList<>();
    List<Thread> callers = new ArrayList<>();
    for (int t = 0; t < 3; t++) {
      Thread caller = new Thread(() -> {
        while (running.get()) {
          try {
            call(http);
            ok.incrementAndGet();
          } catch (Throwable e) {
            synchronized (failures) {
              failures.add(e);
            }
          }
        }
      }, "caller-" + t);
      caller.start();
      callers.add(caller);
    }

    List<HttpBackendExtension> fresh = new ArrayList<>();
    for (int i = 0; i < oldPods.size(); i++) {
      HttpBackendExtension next = fx.pod("reviews", "reviews-v2-" + i, "127.0.0." + (10 + i));
      fresh.add(next);
      await().atMost(Duration.ofSeconds(5)).until(() -> next.calls() > 0);
      fx.startTerminating(oldPods.get(i));
      int okBefore = ok.get();
      await().atMost(Duration.ofSeconds(5)).until(() -> ok.get() > okBefore + 20);
      fx.deletePod(oldPods.get(i));
    }
    int okBefore = ok.get();
    await().atMost(Duration.ofSeconds(5)).until(() -> ok.get() > okBefore + 50);
    running.set(false);
    for (Thread caller : callers) {
      caller.join();
    }

    assertThat(failures).isEmpty();
    assertThat(fresh).allSatisfy(b -> assertThat(b.calls()).isPositive());
    assertThat(ok.get()).isGreaterThan(100);
  }
}
