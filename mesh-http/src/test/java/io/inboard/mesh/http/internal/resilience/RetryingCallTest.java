package io.inboard.mesh.http.internal.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.inboard.mesh.api.ServiceName;
import io.inboard.mesh.api.discovery.Endpoint;
import io.inboard.mesh.api.discovery.ServiceEndpoints;
import io.inboard.mesh.api.policy.ClientPolicy;
import io.inboard.mesh.api.policy.ConnectionPoolSettings;
import io.inboard.mesh.api.policy.LoadBalancerPolicy;
import io.inboard.mesh.api.policy.RetryOn;
import io.inboard.mesh.api.policy.RetryPolicy;
import io.inboard.mesh.http.internal.transport.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link RetryingCall} against real loopback servers: which outcomes it retries, how many tries
 * it makes, the per-try timeout, the retry budget and host selection on retry.
 */
class RetryingCallTest {

  private static final ServiceName SERVICE = ServiceName.of("reviews", "default", 9080);

  private final List<Backend> backends = new ArrayList<>();
  private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
  private final CallTimers timers = CallTimers.on(scheduler);
  private final Transport transport = new Transport(HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).build(), null);

  @AfterEach
  void stop() {
    backends.forEach(Backend::stop);
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
    Backend b = backend(n -> status);
    Destination d = destination(ClientPolicy.builder().build(), b);

    HttpResponse<String> r = call(d, retry(2, Duration.ZERO, retryOn.replace(';', ',')));

    assertThat(r.statusCode()).isEqualTo(status);
    assertThat(b.hits()).isEqualTo(expectedTries);
  }

  @ParameterizedTest(name = "attempts={0}")
  @CsvSource({"0", "1", "4"})
  void makesAttemptsPlusOneTriesAtMost(int attempts) throws Exception {
    Backend b = backend(n -> 503);
    Destination d = destination(ClientPolicy.builder().build(), b);

    call(d, retry(attempts, Duration.ZERO, "5xx"));

    assertThat(b.hits()).isEqualTo(attempts + 1);
  }

  @Test
  void stopsRetryingOnceATrySucceeds() throws Exception {
    Backend b = backend(n -> n < 2 ? 503 : 200);
    Destination d = destination(ClientPolicy.builder().build(), b);

    HttpResponse<String> r = call(d, retry(5, Duration.ZERO, "5xx"));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(b.hits()).isEqualTo(3);
  }

  @Test
  void perTryTimeoutEndsAHangingTryAndRetriesOnAnotherHost() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Backend hanging = backend(n -> {
      await(release);
      return 200;
    });
    Backend healthy = backend(n -> 200);
    try {
      Destination d = destination(ClientPolicy.builder().build(), hanging, healthy);
      // Whichever host the first try picks, a hang there is cut by the per-try timeout and the
      // retry goes to the other host, which answers.
      for (int i = 0; i < 4; i++) {
        assertThat(call(d, retry(1, Duration.ofMillis(200), "gateway-error")).statusCode())
            .isEqualTo(200);
      }
      assertThat(hanging.hits()).isBetween(1, 4);
    } finally {
      release.countDown();
    }
  }

  @Test
  void perTryTimeoutIsNotRetriedWhenRetryOnDoesNotCoverIt() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Backend hanging = backend(n -> {
      await(release);
      return 200;
    });
    try {
      Destination d = destination(ClientPolicy.builder().build(), hanging);

      assertThatThrownBy(() -> call(d, retry(2, Duration.ofMillis(200), "connect-failure")))
          .hasCauseInstanceOf(HttpTimeoutException.class);
      assertThat(hanging.hits()).isEqualTo(1);
    } finally {
      release.countDown();
    }
  }

  @Test
  void spentRetryBudgetReturnsTheFirstResultWithoutRetrying() throws Exception {
    Backend b = backend(n -> 503);
    ConnectionPoolSettings noRetries = new ConnectionPoolSettings(ConnectionPoolSettings.UNLIMITED,
        ConnectionPoolSettings.UNLIMITED, ConnectionPoolSettings.UNLIMITED, 0,
        Duration.ofSeconds(10));
    Destination d = destination(ClientPolicy.builder().connectionPool(noRetries).build(), b);

    HttpResponse<String> r = call(d, retry(3, Duration.ZERO, "5xx"));

    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(b.hits()).isEqualTo(1);
    assertThat(d.guards().retryBudget().outstanding()).isZero();
  }

  @Test
  void retryBudgetIsReleasedAfterEachRetry() throws Exception {
    Backend b = backend(n -> 503);
    ConnectionPoolSettings oneRetry = new ConnectionPoolSettings(ConnectionPoolSettings.UNLIMITED,
        ConnectionPoolSettings.UNLIMITED, ConnectionPoolSettings.UNLIMITED, 1,
        Duration.ofSeconds(10));
    Destination d = destination(ClientPolicy.builder().connectionPool(oneRetry).build(), b);

    // one retry outstanding at a time is enough for sequential retries of one call
    call(d, retry(3, Duration.ZERO, "5xx"));

    assertThat(b.hits()).isEqualTo(4);
    assertThat(d.guards().retryBudget().outstanding()).isZero();
  }

  @Test
  void retryPicksADifferentHostWhenThereIsOne() throws Exception {
    Map<String, Set<Integer>> hostsByCall = new ConcurrentHashMap<>();
    Backend a = recordingBackend("a", hostsByCall);
    Backend b = recordingBackend("b", hostsByCall);
    // Random picking would pick the same host twice in a row half the time without the
    // "avoid the previous host" rule; 20 calls make a pass by luck a 1 in 2^20 chance.
    ClientPolicy random = ClientPolicy.builder().loadBalancer(
        new LoadBalancerPolicy.Simple(LoadBalancerPolicy.Simple.Kind.RANDOM)).build();
    Destination d = destination(random, a, b);

    for (int i = 0; i < 20; i++) {
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://reviews:9080/r"))
          .header("x-call", Integer.toString(i)).build();
      RetryingCall.start(d, retry(1, Duration.ZERO, "5xx"), request, BodyHandlers.ofString(),
          timers).get(10, TimeUnit.SECONDS);
    }

    assertThat(hostsByCall).hasSize(20);
    assertThat(hostsByCall.values()).allSatisfy(ports -> assertThat(ports).hasSize(2));
  }

  private Backend recordingBackend(String name, Map<String, Set<Integer>> hostsByCall)
      throws IOException {
    Backend[] self = new Backend[1];
    self[0] = answering(exchange -> {
      hostsByCall.computeIfAbsent(exchange.getRequestHeaders().getFirst("x-call"),
          k -> ConcurrentHashMap.newKeySet()).add(self[0].port());
      return 503;
    });
    return self[0];
  }

  private static CallPolicy retry(int attempts, Duration perTry, String retryOn) {
    return new CallPolicy(0, RetryPolicy.of(attempts, perTry, RetryOn.parse(retryOn)));
  }

  private Destination destination(ClientPolicy policy, Backend... on) {
    Destination d = new Destination(SERVICE, policy, null, transport);
    List<Endpoint> endpoints = new ArrayList<>();
    for (Backend b : on) {
      endpoints.add(Endpoint.ready("127.0.0.1", b.port()));
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

  private Backend backend(IntUnaryOperator statusForHit) throws IOException {
    AtomicInteger count = new AtomicInteger();
    return answering(exchange -> statusForHit.applyAsInt(count.getAndIncrement()));
  }

  private Backend answering(Responder responder) throws IOException {
    Backend b = new Backend(responder);
    backends.add(b);
    return b;
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @FunctionalInterface
  private interface Responder {
    int status(HttpExchange exchange);
  }

  /** A loopback HTTP server answering each request with the responder's status. */
  private static final class Backend {
    private final HttpServer server;
    private final AtomicInteger hits = new AtomicInteger();

    Backend(Responder responder) throws IOException {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.setExecutor(Executors.newCachedThreadPool());
      server.createContext("/", exchange -> {
        hits.incrementAndGet();
        int status = responder.status(exchange);
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
      });
      server.start();
    }

    int port() {
      return server.getAddress().getPort();
    }

    int hits() {
      return hits.get();
    }

    void stop() {
      server.stop(0);
    }
  }
}
