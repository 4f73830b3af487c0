package io.inboard.mesh.http.internal.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inboard.mesh.api.ServiceName;
import io.inboard.mesh.api.discovery.Endpoint;
import io.inboard.mesh.api.discovery.ServiceEndpoints;
import io.inboard.mesh.api.policy.ClientPolicy;
import io.inboard.mesh.api.policy.ConnectionPoolSettings;
import io.inboard.mesh.api.policy.LoadBalancerPolicy;
import io.inboard.mesh.api.policy.RetryOn;
import io.inboard.mesh.api.policy.RetryPolicy;
import io.inboard.mesh.http.internal.transport.Transport;
import io.inboard.mesh.testing.HttpBackendExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link RetryingCall} against real loopback servers: which outcomes it retries, how many tries
 * it makes, the per-try timeout, the retry budget and host selection on retry.
 */
class RetryingCallTest {

  private static final ServiceName SERVICE = ServiceName.of("reviews", "default", 9080);

  @RegisterExtension
  final HttpBackendExtension first = HttpBackendExtension.on("127.0.0.2").build();
  @RegisterExtension
  final HttpBackendExtension second = HttpBackendExtension.on("127.0.0.3").build();
  private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
  private final CallTimers timers = CallTimers.on(scheduler);
  private final Transport transport = new Transport(HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).build(), null);

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  @ParameterizedTest(name = "retryOn={0}, status {1}: {2} tries")
  @CsvSource({
      "5xx,                   500, 3",
      "5xx,                   503, 3",
      "gateway-error,         503, 3",
      "gateway-error,         500, 1",
      "connect-failure,       503, 1",
      "reset,                 503, 1",
      "retriable-status-codes;418, 418, 3",
      "5xx,                   404, 1",
      "418,                   503, 1",
  })
  void retriesOnlyOnConfiguredStatus(String retryOn, int status, int expectedTries)
      throws Exception {
    first.status(status);
    Destination d = destination(ClientPolicy.builder().build(), first);

    HttpResponse<String> r = call(d, retry(2, Duration.ZERO, retryOn.replace(';', ',')));

    assertThat(r.statusCode()).isEqualTo(status);
    assertThat(first.calls()).isEqualTo(expectedTries);
  }

  @ParameterizedTest(name = "attempts={0}")
  @CsvSource({"0", "1", "4"})
  void makesAttemptsPlusOneTriesAtMost(int attempts) throws Exception {
    first.status(503);
    Destination d = destination(ClientPolicy.builder().build(), first);

    call(d, retry(attempts, Duration.ZERO, "5xx"));

    assertThat(first.calls()).isEqualTo(attempts + 1);
  }

  @Test
  void stopsRetryingOnceATrySucceeds() throws Exception {
    AtomicInteger tries = new AtomicInteger();
    first.status(request -> tries.getAndIncrement() < 2 ? 503 : 200);
    Destination d = destination(ClientPolicy.builder().build(), first);

    HttpResponse<String> r = call(d, retry(5, Duration.ZERO, "5xx"));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(first.calls()).isEqualTo(3);
  }

  @Test
  void perTryTimeoutEndsAHangingTryAndRetriesOnAnotherHost() throws Exception {
    HttpBackendExtension hanging = first.hold();
    HttpBackendExtension healthy = second;
    try {
      Destination d = destination(ClientPolicy.builder().build(), hanging, healthy);
      // Whichever host the first try picks, a hang there is cut by the per-try timeout and the
      // retry goes to the other host, which answers.
      for (int i = 0; i < 4; i++) {
        assertThat(call(d, retry(1, Duration.ofMillis(200), "gateway-error")).statusCode())
            .isEqualTo(200);
      }
      assertThat(hanging.calls()).isBetween(1, 4);
    } finally {
      hanging.release();
    }
  }

  @Test
  void perTryTimeoutIsNotRetriedWhenRetryOnDoesNotCoverIt() throws Exception {
    HttpBackendExtension hanging = first.hold();
    try {
      Destination d = destination(ClientPolicy.builder().build(), hanging);

      assertThatThrownBy(() -> call(d, retry(2, Duration.ofMillis(200), "connect-failure")))
          .hasCauseInstanceOf(HttpTimeoutException.class);
      assertThat(hanging.calls()).isEqualTo(1);
    } finally {
      hanging.release();
    }
  }

  @Test
  void spentRetryBudgetReturnsTheFirstResultWithoutRetrying() throws Exception {
    first.status(503);
    ConnectionPoolSettings noRetries = new ConnectionPoolSettings(ConnectionPoolSettings.UNLIMITED,
        ConnectionPoolSettings.UNLIMITED, ConnectionPoolSettings.UNLIMITED, 0,
        Duration.ofSeconds(10));
    Destination d = destination(ClientPolicy.builder().connectionPool(noRetries).build(), first);

    HttpResponse<String> r = call(d, retry(3, Duration.ZERO, "5xx"));

    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(first.calls()).isEqualTo(1);
    assertThat(d.guards().retryBudget().outstanding()).isZero();
  }

  @Test
  void retryBudgetIsReleasedAfterEachRetry() throws Exception {
    first.status(503);
    ConnectionPoolSettings oneRetry = new ConnectionPoolSettings(ConnectionPoolSettings.UNLIMITED,
        ConnectionPoolSettings.UNLIMITED, ConnectionPoolSettings.UNLIMITED, 1,
        Duration.ofSeconds(10));
    Destination d = destination(ClientPolicy.builder().connectionPool(oneRetry).build(), first);

    // one retry outstanding at a time is enough for sequential retries of one call
    call(d, retry(3, Duration.ZERO, "5xx"));

    assertThat(first.calls()).isEqualTo(4);
    assertThat(d.guards().retryBudget().outstanding()).isZero();
  }

  @Test
  void retryPicksADifferentHostWhenThereIsOne() throws Exception {
    first.status(503);
    second.status(503);
    // Random picking would pick the same host twice in a row half the time without the
    // "avoid the previous host" rule; 20 calls make a pass by luck a 1 in 2^20 chance.
    ClientPolicy random = ClientPolicy.builder().loadBalancer(
        new LoadBalancerPolicy.Simple(LoadBalancerPolicy.Simple.Kind.RANDOM)).build();
    Destination d = destination(random, first, second);

    for (int i = 0; i < 20; i++) {
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://reviews:9080/r"))
          .header("x-call", Integer.toString(i)).build();
      RetryingCall.start(d, retry(1, Duration.ZERO, "5xx"), request, BodyHandlers.ofString(),
          timers).get(10, TimeUnit.SECONDS);
    }

    // retry attempts = 1: two tries per call, so each call reached each host exactly once
    Set<String> allCalls = IntStream.range(0, 20).mapToObj(Integer::toString)
        .collect(Collectors.toSet());
    for (HttpBackendExtension host : List.of(first, second)) {
      assertThat(host.requests()).extracting(request -> request.header("x-call").orElseThrow())
          .as("calls that reached %s", host.ip()).doesNotHaveDuplicates()
          .containsExactlyInAnyOrderElementsOf(allCalls);
    }
  }

  private static CallPolicy retry(int attempts, Duration perTry, String retryOn) {
    return new CallPolicy(0, RetryPolicy.of(attempts, perTry, RetryOn.parse(retryOn)));
  }

  private Destination destination(ClientPolicy policy, HttpBackendExtension... on) {
    Destination d = new Destination(SERVICE, policy, null, transport);
    List<Endpoint> endpoints = new ArrayList<>();
    for (HttpBackendExtension b : on) {
      endpoints.add(Endpoint.ready(b.ip(), b.port()));
    }
    d.endpoints().onEndpoints(new ServiceEndpoints(SERVICE, endpoints));
    return d;
  }

  private HttpResponse<String> call(Destination d, CallPolicy policy) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://reviews:9080/reviews/0"))
        .build();
    return RetryingCall.start(d, policy, request, BodyHandlers.ofString(), timers)
        .get(10, TimeUnit.SECONDS);
  }
}
