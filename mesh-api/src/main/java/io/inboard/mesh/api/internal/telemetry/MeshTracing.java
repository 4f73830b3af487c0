package io.inboard.mesh.api.internal.telemetry;

import io.inboard.mesh.api.context.RequestContext;
import io.inboard.mesh.api.inbound.InboundRequest.Protocol;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Spans for the data planes, on trace context carried in headers, so that neither plane nor
 * {@code mesh-api} needs OpenTelemetry types: a server span rewrites the trace headers of the
 * request's {@link RequestContext} to itself, so every outbound call made while serving it
 * continues the trace; a client call's span is a child of the current context, and each attempt
 * is a CLIENT child of the call whose headers go on the wire.
 *
 * <p>Every method is called on the request's own path: it must be cheap, never block and never
 * throw. {@link #NOOP} leaves the context as it came (the propagated headers go onwards
 * unchanged, as before tracing).
 */
public interface MeshTracing {

  /**
   * The trace headers a span rewrites: W3C {@code traceparent}/{@code tracestate}, B3 multi and
   * single. A plane removes these from an outbound request before {@link Attempt#inject}.
   */
  List<String> TRACE_HEADERS = List.of("traceparent", "tracestate", "x-b3-traceid",
      "x-b3-spanid", "x-b3-parentspanid", "x-b3-sampled", "x-b3-flags", "b3");

  /** No spans; contexts pass through unchanged. */
  MeshTracing NOOP = new MeshTracing() {
    @Override
    public ServerSpan startServer(String name, Protocol protocol, RequestContext inbound) {
      return new ServerSpan() {
        @Override
        public RequestContext context() {
          return inbound;
        }

        @Override
        public void end(RequestReport report) {}

        @Override
        public boolean recording() {
          return false;
        }
      };
    }

    @Override
    public CallSpan startCall(String name, Protocol protocol, RequestContext parent) {
      return CallSpan.NOOP;
    }
  };

  /**
   * Starts the SERVER span of an inbound request whose headers are {@code inbound}: a child of
   * the caller's context (W3C or B3, sampled as the caller decided), else a new trace sampled
   * at the workload's rate.
   *
   * @param name the span name: {@code GET} (HTTP, method only, as OpenTelemetry names server
   *     spans without a route), or {@code pkg.Service/Method} (gRPC)
   */
  ServerSpan startServer(String name, Protocol protocol, RequestContext inbound);

  /**
   * Starts the span of one outbound call (all its attempts), a child of {@code parent}, which is
   * the current {@link RequestContext} (a server span's context, or {@link RequestContext#EMPTY}
   * for a call made outside any request: a new trace).
   *
   * @param name {@code GET} (HTTP) or {@code pkg.Service/Method} (gRPC)
   */
  CallSpan startCall(String name, Protocol protocol, RequestContext parent);

  /** An inbound request's span. */
  interface ServerSpan {
    /** The request's context with its trace headers pointing at this span. */
    RequestContext context();

    /** Ends the span with what the request came to; its details give the attributes. */
    void end(RequestReport report);

    /**
     * Whether {@link #end} records anything: a span that only propagates (not sampled, or
     * not exported) ignores its report, so the caller need not build one. Default: true.
     */
    default boolean recording() {
      return true;
    }
  }

  /** An outbound call's span: the parent of its attempts. */
  interface CallSpan {
    /** No span, and attempts that inject nothing. */
    CallSpan NOOP = new CallSpan() {
      @Override
      public Attempt startAttempt(int attempt) {
        return Attempt.NOOP;
      }

      @Override
      public void end(RequestReport report) {}

      @Override
      public boolean recording() {
        return false;
      }
    };

    /** Starts attempt number {@code attempt} (1 for the first, 2 for the first retry, ...). */
    Attempt startAttempt(int attempt);

    /** Ends the call's span with the report of the whole call (after its retries). */
    void end(RequestReport report);

    /**
     * Whether {@link #end} reads its report: a span that only propagates ignores it, so the
     * caller need not collect the report's details. Default: true.
     */
    default boolean recording() {
      return true;
    }
  }

  /** One attempt of an outbound call: a CLIENT span, the parent of the server's span. */
  interface Attempt {
    /** Injects nothing and records nothing. */
    Attempt NOOP = new Attempt() {
      @Override
      public void inject(BiConsumer<String, String> header) {}

      @Override
      public void end(int responseCode, String grpcStatus, String responseFlags,
          String upstreamHost, Throwable failure) {}
    };

    /**
     * Hands the trace headers this attempt sends to {@code header} (name in lower case, value):
     * {@code traceparent} (and {@code tracestate} when the parent had one) and B3.
     */
    void inject(BiConsumer<String, String> header);

    /**
     * Ends the attempt.
     *
     * @param responseCode HTTP status, {@code 0} for none
     * @param grpcStatus gRPC status number as text, {@code ""} for HTTP
     * @param responseFlags Envoy flags or {@code "-"}
     * @param upstreamHost {@code ip:port} of the endpoint tried, {@code ""} if none was picked
     * @param failure why no response came, or {@code null}
     */
    void end(int responseCode, String grpcStatus, String responseFlags, String upstreamHost,
        Throwable failure);
  }
}
