package io.inboard.mesh.api.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inboard.mesh.api.ServiceName;
import io.inboard.mesh.api.annotation.CircuitBreaker;
import io.inboard.mesh.api.annotation.ConnectionPool;
import io.inboard.mesh.api.annotation.LoadBalancer;
import io.inboard.mesh.api.annotation.MeshClient;
import io.inboard.mesh.api.annotation.OutlierDetection;
import io.inboard.mesh.api.annotation.Retry;
import io.inboard.mesh.api.annotation.Timeout;
import io.inboard.mesh.api.policy.ClientPolicy;
import io.inboard.mesh.api.policy.LoadBalancerPolicy;
import io.inboard.mesh.api.policy.RetryOn;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PolicyAnnotationsTest {

  @MeshClient("reviews.bookinfo:9080")
  @Timeout("3s")
  @Retry(attempts = 1, retryOn = "5xx,connect-failure", perTryTimeout = "1s")
  @CircuitBreaker(failureRateThreshold = 25, slidingWindowSize = 4, minimumNumberOfCalls = 4)
  @LoadBalancer(hashHeader = "end-user")
  interface ReviewsClient {
    @Timeout("500ms")
    void fast();

    void normal();
  }

  @MeshClient("reviews")
  @Retry(perTryTimeout = "soon")
  interface BadDuration {}

  @MeshClient("reviews")
  @Retry(attempts = -2)
  interface BadAttempts {}

  @MeshClient("Bad_Name")
  interface BadName {}

  @MeshClient("reviews")
  @OutlierDetection(maxEjectionPercent = 100, minHealthPercent = 50)
  interface Panicking {}

  @MeshClient("reviews")
  @OutlierDetection(minHealthPercent = 150)
  interface BadMinHealth {}

  @MeshClient("reviews")
  @LoadBalancer(hashHeader = "a", hashCookie = "b")
  interface TwoHashKeys {}

  @MeshClient("reviews")
  @ConnectionPool(maxRequestsPerConnection = 100, idleTimeout = "5m")
  interface Recycled {}

  @MeshClient("reviews")
  @ConnectionPool(idleTimeout = "later")
  interface BadIdle {}

  @Test
  void readsEveryPolicyAnnotationOnTheInterface() throws Exception {
    ClientPolicy p = PolicyAnnotations.read(ReviewsClient.class,
        ReviewsClient.class.getMethod("normal"));
    assertThat(p.timeout()).contains(Duration.ofSeconds(3));
    assertThat(p.retry()).hasValueSatisfying(r -> {
      assertThat(r.attempts()).isEqualTo(1);
      assertThat(r.perTryTimeout()).isEqualTo(Duration.ofSeconds(1));
      assertThat(r.retryOn()).isEqualTo(RetryOn.parse("5xx,connect-failure"));
    });
    assertThat(p.circuitBreaker()).hasValueSatisfying(cb ->
        assertThat(cb.failureRateThreshold()).isEqualTo(25f));
    assertThat(p.loadBalancer()).contains(new LoadBalancerPolicy.ConsistentHash(
        new LoadBalancerPolicy.HashKey.Header("end-user"), 1024));
  }

  @Test
  void outlierDetectionCarriesMinHealthPercent_andRefusesOneAbove100() {
    assertThat(PolicyAnnotations.read(Panicking.class).outlierDetection())
        .hasValueSatisfying(od -> assertThat(od.minHealthPercent()).isEqualTo(50));
    assertThatThrownBy(() -> PolicyAnnotations.read(BadMinHealth.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("outlierDetection.minHealthPercent: 150 (expected: 0..100)");
  }

  @Test
  void connectionPoolCarriesConnectionLimits_andNamesABadIdleTimeout() {
    assertThat(PolicyAnnotations.read(Recycled.class).connectionPool()).hasValueSatisfying(cp -> {
      assertThat(cp.maxRequestsPerConnection()).isEqualTo(100);
      assertThat(cp.idleTimeout()).contains(Duration.ofMinutes(5));
    });
    assertThat(PolicyAnnotations.read(Panicking.class).connectionPool()).isEmpty();
    assertThatThrownBy(() -> PolicyAnnotations.read(BadIdle.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(BadIdle.class.getName() + " @ConnectionPool.idleTimeout: 'later'"
            + " (expected: a duration such as 250ms, 1.5s, 2m or 1h)");
  }

  @Test
  void methodAnnotationsOverrideTheInterfaceFieldByField() throws Exception {
    ClientPolicy p = PolicyAnnotations.read(ReviewsClient.class, ReviewsClient.class.getMethod("fast"));
    assertThat(p.timeout()).contains(Duration.ofMillis(500));
    assertThat(p.retry()).isPresent();
  }

  @Test
  void targetResolvesInTheDefaultNamespaceUnlessGiven() {
    assertThat(PolicyAnnotations.target(ReviewsClient.class, "default"))
        .isEqualTo(ServiceName.of("reviews", "bookinfo", 9080));
    assertThat(PolicyAnnotations.target(BadDuration.class, "default"))
        .isEqualTo(ServiceName.of("reviews", "default"));
  }

  @Test
  void invalidValuesFailWithWhereFieldValueAndExpectation() {
    assertThatThrownBy(() -> PolicyAnnotations.read(BadDuration.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(BadDuration.class.getName() + " @Retry.perTryTimeout: 'soon'"
            + " (expected: a duration such as 250ms, 1.5s, 2m or 1h)");
    assertThatThrownBy(() -> PolicyAnnotations.read(BadAttempts.class))
        .hasMessage(BadAttempts.class.getName() + " retries.attempts: -2 (expected: >= 0)");
    assertThatThrownBy(() -> PolicyAnnotations.read(TwoHashKeys.class))
        .hasMessageContaining("(expected: at most one hash key)");
    assertThatThrownBy(() -> PolicyAnnotations.target(BadName.class, "default"))
        .hasMessageContaining("@MeshClient.value")
        .hasMessageContaining("'Bad_Name'");
    assertThatThrownBy(() -> PolicyAnnotations.target(String.class, "default"))
        .hasMessageContaining("no @MeshClient");
  }
}
