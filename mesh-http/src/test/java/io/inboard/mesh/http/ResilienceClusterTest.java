package io.inboard.mesh.http;

import static io.inboard.mesh.http.TestCluster.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.StateTransition;
import io.inboard.mesh.api.ServiceUnavailableException;
import io.inboard.mesh.api.ServiceUnavailableException.Reason;
import io.inboard.mesh.api.policy.CircuitBreakerPolicy;
import io.inboard.mesh.api.policy.ClientPolicy;
import io.inboard.mesh.api.policy.OutlierDetectionPolicy;
import io.inboard.mesh.api.policy.RetryOn;
import io.inboard.mesh.api.policy.RetryPolicy;
import io.inboard.mesh.testing.HttpBackendExtension;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ResilienceClusterTest {

  private static final String URI = "http://reviews.default.svc.cluster.local:9080/reviews/0";

  @RegisterExtension
  final TestCluster fx = new TestCluster().service("reviews");

  private MeshHttpClient client(ClientPolicy policy) {
    return MeshHttpClient.builder(fx.mesh()).policy("reviews", policy).build();
  }

  private int status(MeshHttpClient http) throws Exception {
    return http.send(get(URI), BodyHandlers.ofString()).statusCode();
  }

  @Test
  void retriesStopAtConfiguredAttemptsAndGoToAnotherEndpoint() throws Exception {
    HttpBackendExtension a = fx.pod("reviews", "reviews-v1-0", "127.0.0.2");
    HttpBackendExtension b = fx.pod("reviews", "reviews-v1-1", "127.0.0.3");
    a.status(503);
    b.status(503);
    MeshHttpClient http = client(ClientPolicy.builder()
        .retry(RetryPolicy.of(2, Duration.ZERO, RetryOn.parse("gateway-error")))
        .build());
    await().atMost(Duration.ofSeconds(10)).until(() -> status(http) == 503 && a.calls() > 0
        && b.calls() > 0);
    int before = a.calls() + b.calls();
    int beforeA = a.calls();

    HttpResponse<String> last = http.send(get(URI), BodyHandlers.ofString());

    // attempts = 2 retries: three sends, alternating between the two endpoints.
    assertThat(last.statusCode()).isEqualTo(503);
    assertThat(a.calls() + b.calls() - before).isEqualTo(3);
    assertThat(a.calls() - beforeA).isBetween(1, 2);
  }

  @Test
  void doesNotRetryStatusOutsideRetryOn() throws Exception {
    HttpBackendExtension a = fx.pod("reviews", "reviews-v1-0", "127.0.0.2");
    a.status(500);
    MeshHttpClient http = client(ClientPolicy.builder()
        .retry(RetryPolicy.of(3, Duration.ZERO, RetryOn.parse("gateway-error,503")))
        .build());
    await().atMost(Duration.ofSeconds(10)).until(() -> status(http) == 500);
    int before = a.calls();

    assertThat(status(http)).isEqualTo(500);
    assertThat(a.calls() - before).isEqualTo(1);
  }

  @Test
  void ejectsEndpointAfterConsecutive5xxAndReadmitsIt() throws Exception {
    HttpBackendExtension good = fx.pod("reviews", "reviews-v1-0", "127.0.0.2");
    HttpBackendExtension bad = fx.pod("reviews", "reviews-v1-1", "127.0.0.3");
    bad.status(500);
    MeshHttpClient http = client(ClientPolicy.builder()
        .outlierDetection(new OutlierDetectionPolicy(3, 0, Duration.ofMillis(100),
            Duration.ofSeconds(2), 50, Optional.empty()))
        .build());
    // Round robin reaches the bad endpoint every other call until its third 500.
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      status(http);
      return bad.calls() >= 3;
    });
    assertThat(bad.calls()).isEqualTo(3);

    for (int i = 0; i < 10; i++) {
      assertThat(status(http)).isEqualTo(200);
    }
    assertThat(bad.calls()).isEqualTo(3);

    bad.status(200);
    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> {
      status(http);
      return bad.calls() > 3;
    });
    int goodBefore = good.calls();
    int badBefore = bad.calls();
    for (int i = 0; i < 10; i++) {
      assertThat(status(http)).isEqualTo(200);
    }
    assertThat(bad.calls() - badBefore).isEqualTo(5);
    assertThat(good.calls() - goodBefore).isEqualTo(5);
  }

  @Test
  void circuitBreakerOpensAndHalfOpensAsConfigured() throws Exception {
    HttpBackendExtension backend = fx.pod("reviews", "reviews-v1-0", "127.0.0.2");
    MeshHttpClient http = client(ClientPolicy.builder()
        .circuitBreaker(new CircuitBreakerPolicy(50f, 4, 4, Duration.ofMillis(500), 2))
        .build());
    assertThat(status(http)).isEqualTo(200);
    CircuitBreaker breaker = http.circuitBreaker("reviews").orElseThrow();
    List<StateTransition> transitions = new CopyOnWriteArrayList<>();
    breaker.getEventPublisher().onStateTransition(e -> transitions.add(e.getStateTransition()));

    backend.status(500);
    for (int i = 0; i < 3; i++) {
      assertThat(status(http)).isEqualTo(500);
    }
    // Window of 4: 1 success + 3 failures = 75% >= 50%.
    assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
    int hitsWhileOpen = backend.calls();
    assertThatThrownBy(() -> status(http))
        .isInstanceOfSatisfying(ServiceUnavailableException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.CIRCUIT_OPEN))
        .hasMessageContaining("service 'reviews' in namespace 'default'");
    assertThat(backend.calls()).isEqualTo(hitsWhileOpen);

    backend.status(200);
    await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
        .until(() -> status(http) == 200);
    assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
    assertThat(status(http)).isEqualTo(200);

    assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    assertThat(transitions).containsExactly(StateTransition.CLOSED_TO_OPEN,
        StateTransition.OPEN_TO_HALF_OPEN, StateTransition.HALF_OPEN_TO_CLOSED);
  }

  @Test
  void perTryTimeoutRetriesElsewhereAndOverallTimeoutCoversAllTries() throws Exception {
    HttpBackendExtension slow = fx.pod("reviews", "reviews-v1-0", "127.0.0.2");
    HttpBackendExtension fast = fx.pod("reviews", "reviews-v1-1", "127.0.0.3");
    slow.hold();
    MeshHttpClient http = client(ClientPolicy.builder()
        .timeout(Duration.ofSeconds(5))
        .retry(RetryPolicy.of(1, Duration.ofMillis(200), RetryOn.parse("reset")))
        .build());
    // Every call that lands on the held endpoint times out after 200 ms and is retried.
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      assertThat(http.send(get(URI), BodyHandlers.ofString()).body()).isEqualTo("127.0.0.3");
      return slow.calls() > 0;
    });
    for (int i = 0; i < 4; i++) {
      assertThat(http.send(get(URI), BodyHandlers.ofString()).body()).isEqualTo("127.0.0.3");
    }

    fast.hold();
    MeshHttpClient strict = MeshHttpClient.builder(fx.mesh())
        .policy("reviews", ClientPolicy.builder().timeout(Duration.ofMillis(300)).build())
        .build();
    assertThatThrownBy(() -> strict.send(get(URI), BodyHandlers.ofString()))
        .isInstanceOf(HttpTimeoutException.class);
    slow.release();
    fast.release();
  }
}
