package io.inboard.benchmarks.http;

import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.ServiceName;
import io.inboard.mesh.api.discovery.Endpoint;
import io.inboard.mesh.api.discovery.StaticDiscovery;
import io.inboard.mesh.api.policy.CircuitBreakerPolicy;
import io.inboard.mesh.api.policy.ClientPolicy;
import io.inboard.mesh.api.policy.ConnectionPoolSettings;
import io.inboard.mesh.api.policy.LoadBalancerPolicy;
import io.inboard.mesh.api.policy.OutlierDetectionPolicy;
import io.inboard.mesh.api.policy.RetryOn;
import io.inboard.mesh.api.policy.RetryPolicy;
import io.inboard.mesh.http.HttpTransport;
import io.inboard.mesh.http.MeshHttpClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The client paths, each built the way an application would build it.
 *
 * <ul>
 *   <li>{@code direct}: a bare JDK {@link HttpClient} to the echo server. It gets its own
 *       executor of the same shape MeshHttpClient creates for itself ({@code max(2, CPUs)}
 *       fixed daemon threads), so the comparison with {@code inboard} isolates what the library
 *       does per call, not an executor choice.
 *   <li>{@code inboard}: {@link MeshHttpClient} (default executor) calling {@code http://echo:80/}
 *       through a {@link Mesh} with {@link StaticDiscovery}, under {@link #POLICY};
 *       {@code inboard-netty} the same on {@link HttpTransport#NETTY}.
 *   <li>{@code sidecar}: the same bare client as {@code direct}, sent to the client-side HAProxy,
 *       which forwards to the server-side HAProxy, which forwards to the echo server.
 * </ul>
 *
 * Bare-client requests carry a 5 s request timeout, as the anchor's did; Inboard sets its own
 * per-try timeout on every try, so both arm one JDK response timer per request.
 */
public final class ClientPaths {

  /**
   * A realistic Istio-style policy, everything on: 2 s call timeout; 2 retries with a 1 s per-try
   * timeout on {@code 5xx,reset,connect-failure}; round robin; pool limits of 100 connections,
   * 1024 pending, 1024 requests, 3 retries, 1 s connect timeout; Istio's default outlier
   * detection (5 consecutive 5xx, 10 s interval, 30 s base ejection, 10%); resilience4j's default
   * circuit breaker (50% over 100 calls, 60 s open).
   */
  public static final ClientPolicy POLICY = ClientPolicy.builder()
      .timeout(Duration.ofSeconds(2))
      .retry(RetryPolicy.of(2, Duration.ofSeconds(1),
          RetryOn.parse("5xx,reset,connect-failure")))
      .loadBalancer(LoadBalancerPolicy.ROUND_ROBIN)
      .connectionPool(ConnectionPoolSettings.builder().maxConnections(100).maxPendingRequests(1024)
          .maxRequests(1024).maxRetries(3).connectTimeout(Duration.ofSeconds(1)).build())
      .outlierDetection(OutlierDetectionPolicy.DEFAULT)
      .circuitBreaker(CircuitBreakerPolicy.DEFAULT)
      .build();

  /** A path ready to send, and what to close after the run. */
  public record Built(OpenLoop.Caller caller, AutoCloseable resources) {}

  private ClientPaths() {}

  /**
   * Path {@code direct}, {@code inboard} or {@code sidecar} to the echo server on
   * {@code echoPort}, the sidecar's client-side HAProxy listening on {@code sidecarPort}.
   */
  public static Built build(String path, int echoPort, int sidecarPort) {
    return switch (path) {
      case "direct" -> bare("http://127.0.0.1:" + echoPort + "/");
      case "sidecar" -> bare("http://127.0.0.1:" + sidecarPort + "/");
      case "inboard" -> inboard(echoPort, HttpTransport.JDK);
      case "inboard-netty" -> inboard(echoPort, HttpTransport.NETTY);
      default -> throw new IllegalArgumentException(
          "path: '" + path + "' (expected: direct, inboard, inboard-netty or sidecar)");
    };
  }

  /**
   * The {@code direct} path with {@code headers} (name, value, name, value, ...) on every
   * request: the footprint benchmark's direct call carrying what a mesh call adds on the wire,
   * so that what the JDK client allocates for those bytes is told apart from the library's own.
   */
  public static Built directWithHeaders(int echoPort, List<String> headers) {
    return bare("http://127.0.0.1:" + echoPort + "/", headers);
  }

  private static Built bare(String url) {
    return bare(url, List.of());
  }

  private static Built bare(String url, List<String> headers) {
    ExecutorService executor = Executors.newFixedThreadPool(
        Math.max(2, Runtime.getRuntime().availableProcessors()), r -> {
          Thread t = new Thread(r, "bench-http-executor");
          t.setDaemon(true);
          return t;
        });
    HttpClient client = HttpClient.newBuilder()
        .executor(executor)
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10))
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET()
        .timeout(Duration.ofSeconds(5));
    for (int i = 0; i + 1 < headers.size(); i += 2) {
      b.header(headers.get(i), headers.get(i + 1));
    }
    HttpRequest request = b.build();
    return new Built(() -> client.sendAsync(request, BodyHandlers.ofByteArray()),
        executor::shutdownNow);
  }

  private static Built inboard(int echoPort, HttpTransport transport) {
    StaticDiscovery discovery = new StaticDiscovery()
        .put(ServiceName.of("echo", "default"), List.of(Endpoint.ready("127.0.0.1", echoPort)));
    Mesh mesh = Mesh.builder()
        .workloadName("bench-client")
        .namespace("default")
        .instanceIps("127.0.0.1")
        .discovery(discovery)
        .build();
    MeshHttpClient http = MeshHttpClient.builder(mesh).policy("echo", POLICY)
        .transport(transport).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://echo:80/")).GET().build();
    return new Built(() -> http.sendAsync(request, BodyHandlers.ofByteArray()), mesh);
  }
}
