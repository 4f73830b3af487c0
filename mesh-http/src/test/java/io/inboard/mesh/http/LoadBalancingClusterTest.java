package io.inboard.mesh.http;

import static io.inboard.mesh.http.ClusterFixture.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.inboard.mesh.api.policy.ClientPolicy;
import io.inboard.mesh.api.policy.RetryOn;
import io.inboard.mesh.api.policy.RetryPolicy;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LoadBalancingClusterTest {

  private static final String URI = "http://reviews:9080/reviews/0";

  private final ClusterFixture fx = new ClusterFixture().service("reviews");

  @AfterEach
  void close() {
    fx.close();
  }

  private String call(MeshHttpClient http) throws Exception {
    HttpResponse<String> r = http.send(get(URI), BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }

  @Test
  void spreadsCallsOverAllReadyEndpointsAndNoneThatIsNotReady() throws Exception {
    Backend a = fx.pod("reviews", "reviews-v1-0", "127.0.0.2");
    Backend b = fx.pod("reviews", "reviews-v1-1", "127.0.0.3");
    Backend c = fx.pod("reviews", "reviews-v1-2", "127.0.0.4");
    Backend notReady = fx.pod("reviews", "reviews-v1-3", "127.0.0.5");
    fx.cluster.setReady("default", "reviews-v1-3", false);
    MeshHttpClient http = MeshHttpClient.of(fx.mesh);
    // Wait until discovery has seen the readiness change (the pod was ready at first).
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      int before = notReady.hits();
      for (int i = 0; i < 6; i++) {
        call(http);
      }
      return notReady.hits() == before && a.hits() > 0 && b.hits() > 0 && c.hits() > 0;
    });
    int[] before = {a.hits(), b.hits(), c.hits(), notReady.hits()};

    for (int i = 0; i < 300; i++) {
      call(http);
    }

    // Round robin: 100 each; tolerance +-1 for where the rotation starts.
    assertThat(a.hits() - before[0]).isBetween(99, 101);
    assertThat(b.hits() - before[1]).isBetween(99, 101);
    assertThat(c.hits() - before[2]).isBetween(99, 101);
    assertThat(notReady.hits()).isEqualTo(before[3]);
  }

  @Test
  void seesScalingUpAndDownWithinOneSecond() throws Exception {
    Backend first = fx.pod("reviews", "reviews-v1-0", "127.0.0.2");
    MeshHttpClient http = MeshHttpClient.of(fx.mesh);
    assertThat(call(http)).isEqualTo("127.0.0.2");

    Backend second = fx.pod("reviews", "reviews-v1-1", "127.0.0.3");
    Backend third = fx.pod("reviews", "reviews-v1-2", "127.0.0.4");
    await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20)).until(() -> {
      call(http);
      return second.hits() > 0 && third.hits() > 0;
    });

    fx.cluster.deletePod("default", "reviews-v1-0");
    await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20)).until(() -> {
      int before = first.hits();
      for (int i = 0; i < 4; i++) {
        call(http);
      }
      return first.hits() == before;
    });
  }

  @Test
  void rollingUpdateUnderContinuousCallsFailsNoCall() throws Exception {
    List<String> oldPods = List.of("reviews-v1-0", "reviews-v1-1", "reviews-v1-2");
    for (int i = 0; i < oldPods.size(); i++) {
      fx.pod("reviews", oldPods.get(i), "127.0.0." + (2 + i));
    }
    MeshHttpClient http = MeshHttpClient.builder(fx.mesh)
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

    List<Backend> fresh = new ArrayList<>();
    for (int i = 0; i < oldPods.size(); i++) {
      Backend next = fx.pod("reviews", "reviews-v2-" + i, "127.0.0." + (10 + i));
      fresh.add(next);
      await().atMost(Duration.ofSeconds(5)).until(() -> next.hits() > 0);
      fx.cluster.startTerminating("default", oldPods.get(i));
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
    assertThat(fresh).allSatisfy(b -> assertThat(b.hits()).isPositive());
    assertThat(ok.get()).isGreaterThan(100);
  }
}
