package io.inboard.mesh.controlplane.internal.jwks;

import com.google.gson.JsonElement;
import io.inboard.mesh.security.internal.authz.PolicyException;
import io.inboard.mesh.security.internal.authz.PolicySource;
import io.inboard.mesh.security.internal.jwt.JwtAuthenticator;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches the JSON Web Key Sets that RequestAuthentication {@code jwksUri}s name, as istiod
 * does, so that workloads never reach an identity provider. Each URI {@link #track tracked} is
 * fetched at once and then every refresh interval (default {@value #DEFAULT_REFRESH_MINUTES}
 * minutes, as istiod), with the JDK HttpClient on two daemon threads of its own, never on the
 * translation thread: a translation reads {@link #keys} and never waits.
 *
 * <p>A fetched set is kept only when it is a key set the workloads' JWT compiler accepts;
 * otherwise, and when the fetch fails, the last good set stays in use and the problem is
 * logged at WARN once (until it changes or clears) and listed by {@link #problems}. When a
 * fetch yields a set different from the last good one, {@code onChange} runs (on the fetch
 * thread), so that the control plane pushes the new keys.
 */
public final class JwksFetcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(JwksFetcher.class);
  static final long DEFAULT_REFRESH_MINUTES = 20;

  /** How often a key set is fetched again when none is given: 20 minutes, as istiod. */
  public static final Duration DEFAULT_REFRESH_INTERVAL =
      Duration.ofMinutes(DEFAULT_REFRESH_MINUTES);
  /** The timeout of a fetch whose rule names none: 5 s, Istio's {@code JWTRule.timeout}. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  private final Duration refreshInterval;
  private final Runnable onChange;
  private final HttpClient client = HttpClient.newBuilder()
      .followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(DEFAULT_TIMEOUT).build();
  private final ScheduledExecutorService scheduler;
  private final Map<String, ScheduledFuture<?>> fetches = new HashMap<>();
  private final Map<String, Duration> timeouts = new ConcurrentHashMap<>();
  private final Map<String, KeySet> keys = new ConcurrentHashMap<>();
  private final Map<String, String> problems = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /**
   * @param refreshInterval how often each key set is fetched again (positive)
   * @param onChange runs after a fetch yields a key set different from the last good one
   */
  public JwksFetcher(Duration refreshInterval, Runnable onChange) {
    if (refreshInterval.isNegative() || refreshInterval.isZero()) {
      throw new IllegalArgumentException("refreshInterval: " + refreshInterval
          + " (expected: > 0)");
    }
    this.refreshInterval = refreshInterval;
    this.onChange = onChange;
    AtomicInteger n = new AtomicInteger();
    this.scheduler = Executors.newScheduledThreadPool(2, r -> {
      Thread t = new Thread(r, "inboard-jwks-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Fetches exactly the URIs of {@code uriTimeouts} from now on: new ones at once, then every
   * refresh interval; the key sets and problems of URIs no longer named are dropped. Returns
   * without waiting for any fetch.
   *
   * @param uriTimeouts each {@code jwksUri} referenced, with its fetch timeout
   */
  public synchronized void track(Map<String, Duration> uriTimeouts) {
    if (closed) {
      return;
    }
    for (String uri : List.copyOf(fetches.keySet())) {
      if (!uriTimeouts.containsKey(uri)) {
        fetches.remove(uri).cancel(false);
        timeouts.remove(uri);
        keys.remove(uri);
        problems.remove(uri);
      }
    }
    uriTimeouts.forEach((uri, timeout) -> {
      timeouts.put(uri, timeout.isNegative() || timeout.isZero() ? DEFAULT_TIMEOUT : timeout);
      fetches.computeIfAbsent(uri, u -> scheduler.scheduleWithFixedDelay(() -> fetch(u), 0,
          refreshInterval.toMillis(), TimeUnit.MILLISECONDS));
    });
  }

  /** The last good key set fetched from {@code uri}, as JSON text; empty while none. */
  public Optional<String> keys(String uri) {
    return Optional.ofNullable(keys.get(uri)).map(KeySet::text);
  }

  /** The URIs whose last fetch failed or gave no usable key set, with why. */
  public Map<String, String> problems() {
    return Map.copyOf(problems);
  }

  /** Stops fetching; {@code onChange} does not run any more. */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      fetches.clear();
    }
    scheduler.shutdownNow();
  }

  private void fetch(String uri) {
    if (closed || !timeouts.containsKey(uri)) {
      return;
    }
    String text;
    try {
      text = get(uri);
    } catch (IOException | RuntimeException e) {
      problem(uri, "fetch failed: " + describe(e));
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // closing
      return;
    }
    Optional<String> invalid = check(text);
    if (invalid.isPresent()) {
      problem(uri, invalid.get());
      return;
    }
    if (problems.remove(uri) != null) {
      log.info("JWKS {} fetched again; its problem cleared", uri);
    }
    KeySet fetched = new KeySet(text, JwksDocument.parse(text));
    KeySet previous = keys.put(uri, fetched);
    // a set re-served unchanged (the usual case every interval) pushes nothing
    if ((previous == null || !previous.parsed().equals(fetched.parsed())) && !closed
        && timeouts.containsKey(uri)) {
      log.info("JWKS {} {}", uri, previous == null ? "fetched" : "changed");
      onChange.run();
    }
  }

  private String get(String uri) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(uri))
        .timeout(timeouts.getOrDefault(uri, DEFAULT_TIMEOUT))
        .header("Accept", "application/json").GET().build();
    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("HTTP " + response.statusCode() + " (expected: 200)");
    }
    return response.body();
  }

  /** Why {@code text} cannot be served as a key set; empty when workloads can compile it. */
  private static Optional<String> check(String text) {
    Optional<String> shape = JwksDocument.problem(text);
    if (shape.isPresent()) {
      return Optional.of("not a JSON Web Key Set: " + shape.get());
    }
    try {
      // the workloads' own compiler, on a rule that carries the keys inline as they will
      JwtAuthenticator.compile(List.of(new PolicySource("", "jwks", Map.of("jwtRules",
          List.of(Map.of("issuer", "jwks-check", "jwks", text))))));
      return Optional.empty();
    } catch (PolicyException e) {
      return Optional.of("a key set workloads cannot use: " + e.detail());
    }
  }

  private void problem(String uri, String why) {
    if (closed || !timeouts.containsKey(uri)) {
      return;
    }
    String previous = problems.put(uri, why);
    if (!why.equals(previous)) {
      log.warn("JWKS {}: {}; {}", uri, why, keys.containsKey(uri)
          ? "the last good key set stays in use"
          : "no key set fetched yet: its issuer's tokens are rejected");
    }
  }

  /** The exception and its causes, as the JDK client often leaves the message empty. */
  private static String describe(Throwable e) {
    StringBuilder out = new StringBuilder(e.toString());
    for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
      out.append(" (").append(c).append(')');
    }
    return out.toString();
  }

  /** A fetched key set: its text, as served, and its parsed form, to compare. */
  private record KeySet(String text, JsonElement parsed) {}
}
