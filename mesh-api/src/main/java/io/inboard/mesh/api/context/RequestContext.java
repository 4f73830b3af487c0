package io.inboard.mesh.api.context;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;

/**
 * The headers of the inbound request being served, which every outbound call made while serving
 * it carries onwards: {@code x-request-id}, trace context ({@code traceparent},
 * {@code tracestate}, B3, {@code baggage}) and the mesh's chosen extra headers such as
 * {@code end-user}. See {@link HeaderPropagation} for which headers, and the inbound hooks of
 * {@code mesh-http} and {@code mesh-grpc} for where a context is made current.
 *
 * <p>A context is immutable. It is current on a thread between {@link #makeCurrent()} and the
 * returned {@link Scope}'s close; {@link #wrap(Runnable)} and {@link ContextExecutors} carry it
 * to other threads.
 *
 * @param headers lower-case header name to value; only headers that were present (and the
 *     generated {@code x-request-id}), in {@link HeaderPropagation#headers()} order
 * @param peerPrincipal the caller's SPIFFE ID ({@code spiffe://<td>/ns/<ns>/sa/<sa>}) when it
 *     connected with mTLS and presented a mesh certificate, else {@code ""}; never propagated
 */
public record RequestContext(Map<String, String> headers, String peerPrincipal) {

  /** No request is being served: nothing is propagated. */
  public static final RequestContext EMPTY = new RequestContext(Map.of());

  private static final ThreadLocal<RequestContext> CURRENT = new ThreadLocal<>();

  public RequestContext {
    requireNonNull(headers, "headers");
    requireNonNull(peerPrincipal, "peerPrincipal");
    // Insertion order is kept so that outbound headers come out in a stable, documented order.
    headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
  }

  /** A context with {@code headers} and no authenticated peer. */
  public RequestContext(Map<String, String> headers) {
    this(headers, "");
  }

  /** This context with the caller's SPIFFE ID set to {@code principal} ({@code ""} for none). */
  public RequestContext withPeerPrincipal(String principal) {
    return new RequestContext(headers, principal);
  }

  /** The context of the request this thread is serving, or {@link #EMPTY}. */
  public static RequestContext current() {
    RequestContext c = CURRENT.get();
    return c == null ? EMPTY : c;
  }

  /** The value of header {@code name} (lower case), or {@code null} when it was not present. */
  public String header(String name) {
    return headers.get(name);
  }

  /** The request's {@code x-request-id}, or {@code null} in {@link #EMPTY}. */
  public String requestId() {
    return headers.get(HeaderPropagation.REQUEST_ID);
  }

  /** Hands each propagated header to {@code sink}, in order; the outbound side's one loop. */
  public void forEach(BiConsumer<String, String> sink) {
    headers.forEach(sink);
  }

  /**
   * Makes this context current on this thread until the returned scope is closed, which
   * restores the context that was current before. Use with try-with-resources.
   */
  public Scope makeCurrent() {
    RequestContext previous = CURRENT.get();
    CURRENT.set(this);
    return previous == null ? CURRENT::remove : () -> CURRENT.set(previous);
  }

  /** {@code task}, run with this context current on whichever thread runs it. */
  public Runnable wrap(Runnable task) {
    requireNonNull(task, "task");
    return () -> {
      try (Scope ignored = makeCurrent()) {
        task.run();
      }
    };
  }

  /** {@code task}, run with this context current on whichever thread runs it. */
  public <T> Callable<T> wrap(Callable<T> task) {
    requireNonNull(task, "task");
    return () -> {
      try (Scope ignored = makeCurrent()) {
        return task.call();
      }
    };
  }
}
