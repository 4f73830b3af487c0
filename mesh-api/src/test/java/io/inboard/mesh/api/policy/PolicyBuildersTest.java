package io.inboard.mesh.api.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class PolicyBuildersTest {

  @Test
  void outlierDetectionBuilder_startsFromIstioDefaults() {
    OutlierDetectionPolicy od = OutlierDetectionPolicy.builder().build();
    assertThat(od).isEqualTo(new OutlierDetectionPolicy(5, 0, Duration.ofSeconds(10),
        Duration.ofSeconds(30), 10, Optional.empty()));
    assertThat(OutlierDetectionPolicy.DEFAULT).isEqualTo(od);
  }

  @Test
  void outlierDetectionBuilder_setsEachField() {
    OutlierDetectionPolicy.SuccessRate rate = new OutlierDetectionPolicy.SuccessRate(3, 50, 1000);
    OutlierDetectionPolicy od = OutlierDetectionPolicy.builder().consecutive5xxErrors(3)
        .consecutiveGatewayErrors(2).interval(Duration.ofSeconds(1))
        .baseEjectionTime(Duration.ofSeconds(5)).maxEjectionPercent(50).successRate(rate)
        .minHealthPercent(40).build();
    assertThat(od).isEqualTo(new OutlierDetectionPolicy(3, 2, Duration.ofSeconds(1),
        Duration.ofSeconds(5), 50, Optional.of(rate), 40));
    assertThat(od.toBuilder().build()).isEqualTo(od);
  }

  @Test
  void outlierDetection_minHealthPercentDefaultsToZero_andIsRefusedOutsidePercent() {
    assertThat(OutlierDetectionPolicy.DEFAULT.minHealthPercent()).isZero();
    assertThatThrownBy(() -> OutlierDetectionPolicy.builder().minHealthPercent(101).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("outlierDetection.minHealthPercent: 101 (expected: 0..100)");
    assertThatThrownBy(() -> OutlierDetectionPolicy.builder().minHealthPercent(-1).build())
        .hasMessageContaining("minHealthPercent: -1");
  }

  @Test
  void panic_whenTheHealthyShareIsBelowTheThreshold_asEnvoy() {
    // 1 of 3 left in is 33 %: below 50, panic; 2 of 3 (66 %) is not
    assertThat(OutlierDetectionPolicy.inPanic(1, 3, 50)).isTrue();
    assertThat(OutlierDetectionPolicy.inPanic(2, 3, 50)).isFalse();
    // exactly at the threshold is no panic: Envoy's "less than"
    assertThat(OutlierDetectionPolicy.inPanic(1, 2, 50)).isFalse();
    // 0 turns panic off, even with every endpoint out
    assertThat(OutlierDetectionPolicy.inPanic(0, 3, 0)).isFalse();
    assertThat(OutlierDetectionPolicy.inPanic(0, 3, 1)).isTrue();
    // Envoy's overprovisioning factor 1.4: 9 of 10 covers all load, even below a 100 threshold
    assertThat(OutlierDetectionPolicy.inPanic(9, 10, 100)).isFalse();
    assertThat(OutlierDetectionPolicy.inPanic(7, 10, 100)).isTrue();
    assertThat(OutlierDetectionPolicy.builder().minHealthPercent(50).build().inPanic(1, 3))
        .isTrue();
  }

  @Test
  void circuitBreakerBuilder_startsFromResilience4jDefaults() {
    assertThat(CircuitBreakerPolicy.builder().build())
        .isEqualTo(new CircuitBreakerPolicy(50f, 100, 100, Duration.ofSeconds(60), 10))
        .isEqualTo(CircuitBreakerPolicy.DEFAULT);
    assertThat(CircuitBreakerPolicy.builder().failureRateThreshold(25).slidingWindowSize(4)
        .minimumNumberOfCalls(4).waitDurationInOpenState(Duration.ofMillis(300))
        .permittedCallsInHalfOpenState(2).build())
        .isEqualTo(new CircuitBreakerPolicy(25f, 4, 4, Duration.ofMillis(300), 2));
  }

  @Test
  void connectionPoolBuilder_startsUnlimitedWithTenSecondConnectTimeout() {
    int u = ConnectionPoolSettings.UNLIMITED;
    assertThat(ConnectionPoolSettings.builder().build())
        .isEqualTo(new ConnectionPoolSettings(u, u, u, u, Duration.ofSeconds(10)))
        .isEqualTo(ConnectionPoolSettings.DEFAULT);
    assertThat(ConnectionPoolSettings.builder().maxConnections(100).maxPendingRequests(1)
        .maxRequests(2).maxRetries(0).connectTimeout(Duration.ofSeconds(1)).build())
        .isEqualTo(new ConnectionPoolSettings(100, 1, 2, 0, Duration.ofSeconds(1)));
  }

  @Test
  void retryBuilder_startsFromIstioDefaultRetryPolicy() {
    assertThat(RetryPolicy.builder().build()).isEqualTo(RetryPolicy.ISTIO_DEFAULT);
    RetryPolicy p = RetryPolicy.builder().attempts(3).perTryTimeout(Duration.ofMillis(500))
        .retryOn(RetryOn.parse("5xx,reset")).baseBackoff(Duration.ofMillis(10)).build();
    assertThat(p).isEqualTo(new RetryPolicy(3, Duration.ofMillis(500), RetryOn.parse("5xx,reset"),
        Duration.ofMillis(10), Duration.ofMillis(100)));
  }

  static Stream<Arguments> invalidBuilds() {
    return Stream.of(
        Arguments.of((Supplier<?>) () -> OutlierDetectionPolicy.builder()
            .consecutive5xxErrors(-1).build(),
            "outlierDetection.consecutive5xxErrors: -1 (expected: >= 0)"),
        Arguments.of((Supplier<?>) () -> OutlierDetectionPolicy.builder()
            .maxEjectionPercent(101).build(),
            "outlierDetection.maxEjectionPercent: 101 (expected: 0..100)"),
        Arguments.of((Supplier<?>) () -> OutlierDetectionPolicy.builder()
            .interval(Duration.ZERO).build(),
            "outlierDetection.interval: PT0S (expected: > 0)"),
        Arguments.of((Supplier<?>) () -> CircuitBreakerPolicy.builder()
            .failureRateThreshold(150).build(),
            "circuitBreaker.failureRateThreshold: 150.0 (expected: > 0 and <= 100)"),
        Arguments.of((Supplier<?>) () -> CircuitBreakerPolicy.builder()
            .slidingWindowSize(0).build(),
            "circuitBreaker.slidingWindowSize: 0 (expected: >= 1)"),
        Arguments.of((Supplier<?>) () -> CircuitBreakerPolicy.builder()
            .permittedCallsInHalfOpenState(0).build(),
            "circuitBreaker.permittedCallsInHalfOpenState: 0 (expected: >= 1)"),
        Arguments.of((Supplier<?>) () -> ConnectionPoolSettings.builder()
            .maxConnections(0).build(),
            "connectionPool.maxConnections: 0 (expected: >= 1)"),
        Arguments.of((Supplier<?>) () -> ConnectionPoolSettings.builder()
            .maxRetries(-1).build(),
            "connectionPool.maxRetries: -1 (expected: >= 0)"),
        Arguments.of((Supplier<?>) () -> RetryPolicy.builder().attempts(-1).build(),
            "retries.attempts: -1 (expected: >= 0)"),
        Arguments.of((Supplier<?>) () -> RetryPolicy.builder()
            .baseBackoff(Duration.ofSeconds(1)).maxBackoff(Duration.ofMillis(100)).build(),
            "retries.maxBackoff: 100ms (expected: >= baseBackoff 1s)"));
  }

  @ParameterizedTest
  @MethodSource("invalidBuilds")
  void build_invalidValue_namesFieldValueAndExpectation(Supplier<?> build, String message) {
    assertThatThrownBy(build::get).isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void builderSetters_rejectNullNamingTheField() {
    assertThatThrownBy(() -> OutlierDetectionPolicy.builder().interval(null))
        .isInstanceOf(NullPointerException.class).hasMessage("interval");
    assertThatThrownBy(() -> RetryPolicy.builder().retryOn(null))
        .isInstanceOf(NullPointerException.class).hasMessage("retryOn");
  }
}
