package io.inboard.mesh.http;

import static java.util.Objects.requireNonNull;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.ServiceName;
import io.inboard.mesh.http.internal.ClientCore;
import io.inboard.mesh.http.internal.declarative.InterfaceClients;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * An HTTP client that calls mesh services by name and applies the mesh's policy to each call.
 *
 * <pre>{@code
 * MeshHttpClient http = MeshHttpClient.builder(mesh)
 *     .policy("reviews", ClientPolicy.builder()
 *         .retry(RetryPolicy.of(2, Duration.ofMillis(500), RetryOn.parse("5xx,connect-failure")))
 *         .timeout(Duration.ofSeconds(3))
 *         .build())
 *     .build();
 * HttpResponse<String> r = http.send(
 *     HttpRequest.newBuilder(URI.create("http://reviews:9080/reviews/0")).build(),
 *     BodyHandlers.ofString());
 * }</pre>
 *
 * <p><b>Which URIs go through the mesh.</b> An {@code http} URI whose host is {@code NAME},
 * {@code NAME.NAMESPACE}, {@code NAME.NAMESPACE.svc} or {@code NAME.NAMESPACE.svc.<domain>}
 * (the mesh's cluster domain) names a service; its port, if any, is the service port. Such a
 * call is resolved through the mesh's discovery, load-balanced over the routable endpoints and
 * sent to {@code http://<endpoint-ip>:<target-port>} with the original path, query, method,
 * headers and body. The {@code Host} header is the endpoint's address, because the JDK client
 * does not let callers set it. Every other URI ({@code https}, IP literals, {@code localhost},
 * other host names) is sent unchanged, with no mesh policy. A two-label host such as
 * {@code example.com} reads as {@code NAME.NAMESPACE} and so fails with
 * {@code NAMESPACE_NOT_FOUND} unless such a namespace exists.
 *
 * <p><b>Policy.</b> For each service the effective policy is
 * the builder's layer for it over {@link io.inboard.mesh.api.policy.ClientPolicy#DEFAULTS},
 * field by field. See {@link MeshHttpClientBuilder} for what each field does here.
 *
 * <p><b>Errors.</b> A service that cannot be reached (unknown service or namespace, no ready
 * endpoints, all endpoints ejected, circuit open, pool limits reached, discovery not answering
 * within {@link MeshHttpClientBuilder#discoveryTimeout}) fails with
 * {@link io.inboard.mesh.api.ServiceUnavailableException}, the 503-equivalent. The overall
 * timeout fails with {@link java.net.http.HttpTimeoutException}. Transport errors after the
 * retries run out are the JDK client's {@link IOException}s. Responses of any status are
 * returned, not thrown.
 *
 * <p><b>Threads.</b> Calls never block a thread while waiting for discovery, a backoff or a
 * pending slot. The client owns a small executor for the JDK client ({@code max(2, CPUs)}
 * threads unless {@link MeshHttpClientBuilder#executor} is given) and one timer thread. Where
 * the common fork-join pool has a single worker (two or fewer CPUs), the JDK's
 * {@code sendAsync} would start a thread per response, so each try is then sent with the JDK's
 * blocking {@code send} on a pool of reused threads (at most 256 tries in flight per client;
 * more wait): the thread count follows peak concurrency, not the number of requests. On
 * {@link HttpTransport#NETTY} tries run on the transport's event loops instead, and calls
 * complete on the executor.
 *
 * <p>The client is thread-safe, is owned by the mesh and is closed with the
 * mesh. Closing stops discovery watches and threads; calls still in flight may then fail.
 */
public final class MeshHttpClient implements AutoCloseable {

  private final ClientCore core;

  ClientCore core() {
    return core;
  }

  MeshHttpClient(ClientCore core) {
    this.core = core;
  }

  /** Starts configuring a client for {@code mesh}. */
  public static MeshHttpClientBuilder builder(Mesh mesh) {
    return new MeshHttpClientBuilder(requireNonNull(mesh, "mesh"));
  }

  /** A client with the default policy; shorthand for {@code builder(mesh).build()}. */
  public static MeshHttpClient of(Mesh mesh) {
    return builder(mesh).build();
  }

  /**
   * Sends {@code request} and waits for the response, retries included.
   *
   * @throws io.inboard.mesh.api.ServiceUnavailableException when the service cannot be reached
   * @throws IOException when the last try failed at the transport level, or timed out
   *     ({@link java.net.http.HttpTimeoutException})
   * @throws InterruptedException when interrupted; the call is then cancelled
   */
  public <T> HttpResponse<T> send(HttpRequest request, BodyHandler<T> handler)
      throws IOException, InterruptedException {
    CompletableFuture<HttpResponse<T>> f = sendAsync(request, handler);
    try {
      return f.get();
    } catch (InterruptedException e) {
      f.cancel(true);
      throw e;
    } catch (ExecutionException e) {
      throw rethrow(e.getCause());
    }
  }

  /**
   * Sends {@code request} without blocking. The future fails with the exceptions
   * {@link #send} throws. Cancelling it abandons the call and cancels its try in flight.
   */
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request,
      BodyHandler<T> handler) {
    return core.sendAsync(request, handler);
  }

  /**
   * A declarative client for {@code type}, an interface annotated with
   * {@link io.inboard.mesh.api.annotation.MeshClient} whose methods carry
   * {@link io.inboard.mesh.http.annotation} mappings. Policy annotations on a method override
   * the interface's, which override this client's builder policy for the service; control-plane
   * policy overrides all of them. Starts discovering the service at once.
   *
   * @throws IllegalArgumentException naming the method, field, value and what was expected,
   *     when an annotation is missing or invalid
   */
  public <T> T create(Class<T> type) {
    return InterfaceClients.create(core, requireNonNull(type, "type"));
  }

  /**
   * The resilience4j circuit breaker for {@code service} (shared by its ports), present once a
   * call or {@link #create} has set the service up with a circuit-breaker policy. Use its
   * {@code getEventPublisher()} to watch state transitions.
   */
  public Optional<CircuitBreaker> circuitBreaker(ServiceName service) {
    return core.circuitBreaker(requireNonNull(service, "service"));
  }

  /** {@link #circuitBreaker(ServiceName)} for a name such as {@code reviews.default}. */
  public Optional<CircuitBreaker> circuitBreaker(String service) {
    return circuitBreaker(core.mesh().service(service));
  }

  /** Stops discovery watches and the client's threads. The mesh also does this on close. */
  @Override
  public void close() {
    core.close();
  }

  private static IOException rethrow(Throwable cause) throws IOException {
    if (cause instanceof IOException io) {
      throw io;
    }
    if (cause instanceof RuntimeException re) {
      throw re;
    }
    if (cause instanceof Error err) {
      throw err;
    }
    if (cause instanceof CancellationException ce) {
      throw (InterruptedIOException) new InterruptedIOException("call cancelled").initCause(ce);
    }
    throw new IOException(cause);
  }
}
