package io.inboard.mesh.testing;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.inboard.mesh.testing.internal.DaemonPool;
import io.inboard.mesh.testing.internal.FaultKnobs;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * A real HTTP server on one loopback address, standing for one pod of a service: a JUnit 5
 * extension (see {@link LifecycleExtension}) with fault knobs.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final HttpBackendExtension v1 = HttpBackendExtension.on("127.0.0.2").version("v1").build();
 *
 * v1.failPercent(50);                    // every second request answers 503
 * v1.delay(Duration.ofMillis(200));      // answers late
 * assertThat(v1.lastRequest().orElseThrow().header("end-user")).hasValue("jason");
 * }</pre>
 *
 * <p>By default every request gets {@code 200} with the backend's address as the body (so a test
 * sees which endpoint served it). Knobs apply to requests that arrive after they are set and
 * stay until changed or {@link #reset()}. Thread-safe.
 */
public final class HttpBackendExtension extends LifecycleExtension<HttpBackendExtension>
    implements LoopbackBackend {

  private final String ip;
  private final int requestedPort;
  private final Map<String, String> labels;
  private final FaultKnobs faults = new FaultKnobs();
  private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
  private volatile ToIntFunction<RecordedRequest> status = request -> 200;
  private volatile int failureStatus = 503;
  private volatile Function<RecordedRequest, String> body;
  private volatile Map<String, String> responseHeaders = Map.of();
  private HttpServer server;
  private ExecutorService executor;
  private volatile int port;

  private HttpBackendExtension(Builder b) {
    this.ip = b.ip;
    this.requestedPort = b.port;
    this.labels = Map.copyOf(b.labels);
    this.body = request -> ip;
  }

  /** Starts configuring a backend bound to {@code ip}, a loopback address such as {@code 127.0.0.2}. */
  public static Builder on(String ip) {
    return new Builder(ip);
  }

  @Override
  protected void doStart() throws IOException {
    server = HttpServer.create(new InetSocketAddress(ip, requestedPort), 200);
    // a pool that grows: held and delayed requests must not queue up the others
    executor = DaemonPool.cached("http-backend-" + ip);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
    port = server.getAddress().getPort();
  }

  @Override
  protected void doStop() {
    faults.release();
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String text;
    try (InputStream in = exchange.getRequestBody()) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Map<String, List<String>> headers = new LinkedHashMap<>();
    exchange.getRequestHeaders().forEach((name, values) ->
        headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
    RecordedRequest request = new RecordedRequest(exchange.getRequestMethod(),
        exchange.getRequestURI(), Map.copyOf(headers), text);
    requests.add(request);
    boolean fail = faults.nextFails();
    faults.awaitRelease();
    Duration d = faults.currentDelay();
    if (!d.isZero()) {
      try {
        Thread.sleep(d.toMillis()); // simulates a slow server; runs on the server's own thread
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    int code = fail ? failureStatus : checkStatus("status", status.applyAsInt(request));
    byte[] bytes = (fail ? "fault injected by " + ip : body.apply(request))
        .getBytes(StandardCharsets.UTF_8);
    responseHeaders.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
    exchange.sendResponseHeaders(code, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public String ip() {
    return ip;
  }

  /** The bound port (the one given, or the one picked for port 0). */
  @Override
  public int port() {
    checkStarted();
    return port;
  }

  @Override
  public Map<String, String> labels() {
    return labels;
  }

  /** {@code http://<ip>:<port><path>}, to call the backend directly. */
  public URI uri(String path) {
    return URI.create("http://" + ip + ":" + port() + path);
  }

  @Override
  public int calls() {
    return requests.size();
  }

  /** Every request received so far, oldest first. */
  public List<RecordedRequest> requests() {
    return new ArrayList<>(requests);
  }

  /** The last request received, if any. */
  public Optional<RecordedRequest> lastRequest() {
    List<RecordedRequest> all = requests();
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
  }

  /** Answers with {@code status} (default 200). */
  public HttpBackendExtension status(int status) {
    checkStatus("status", status);
    this.status = request -> status;
    return this;
  }

  /**
   * Answers each request with the status {@code status} computes for it (100..599), for a
   * backend whose answer depends on the request or on how many came before ({@code
   * n.getAndIncrement() < 2 ? 503 : 200}). Called once per request, on the server's thread,
   * before the body; requests failed by {@link #failPercent(int)} do not reach it. Replaces
   * {@link #status(int)}; {@link #reset()} goes back to 200.
   */
  public HttpBackendExtension status(ToIntFunction<RecordedRequest> status) {
    this.status = requireNonNull(status, "status");
    return this;
  }

  /**
   * Fails {@code percent} of requests (0..100, spread evenly) with {@link #failureStatus(int)}
   * (default 503). Default 0.
   */
  public HttpBackendExtension failPercent(int percent) {
    faults.failPercent(percent);
    return this;
  }

  /** The status of requests failed by {@link #failPercent(int)}; default 503. */
  public HttpBackendExtension failureStatus(int status) {
    this.failureStatus = checkStatus("failureStatus", status);
    return this;
  }

  /** Answers every request after {@code delay}; default zero. */
  public HttpBackendExtension delay(Duration delay) {
    faults.delay(requireNonNull(delay, "delay"));
    return this;
  }

  /** Holds every request until {@link #release()}, as a hung server would (at most 30 s). */
  public HttpBackendExtension hold() {
    faults.hold();
    return this;
  }

  /** Lets held requests go on. */
  public HttpBackendExtension release() {
    faults.release();
    return this;
  }

  /** The response body for a request; default: the backend's address. */
  public HttpBackendExtension body(Function<RecordedRequest, String> body) {
    this.body = requireNonNull(body, "body");
    return this;
  }

  /** Adds {@code name: value} to every response. */
  public synchronized HttpBackendExtension responseHeader(String name, String value) {
    Map<String, String> next = new LinkedHashMap<>(responseHeaders);
    next.put(requireNonNull(name, "name"), requireNonNull(value, "value"));
    responseHeaders = Map.copyOf(next);
    return this;
  }

  /** Back to the defaults (200, no faults, address as body, no extra headers); forgets requests. */
  /** Stops sending the headers of {@link #responseHeader}. */
  public synchronized HttpBackendExtension clearResponseHeaders() {
    responseHeaders = Map.of();
    return this;
  }

  public synchronized HttpBackendExtension reset() {
    faults.reset();
    status = request -> 200;
    failureStatus = 503;
    body = request -> ip;
    responseHeaders = Map.of();
    requests.clear();
    return this;
  }

  private static int checkStatus(String field, int status) {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException(field + ": " + status + " (expected: 100..599)");
    }
    return status;
  }

  @Override
  public String toString() {
    return "HttpBackendExtension{" + ip + ":" + port + ", " + labels + "}";
  }

  /** Configures an {@link HttpBackendExtension}. */
  public static final class Builder extends BackendBuilder<Builder> {

    private Builder(String ip) {
      super(ip);
    }

    /** The backend, not started yet (JUnit starts it, or call {@code start()}). */
    public HttpBackendExtension build() {
      return new HttpBackendExtension(this);
    }
  }
}
