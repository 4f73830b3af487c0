package io.inboard.mesh.grpc.internal.route;

import java.util.List;

/**
 * What the gRPC route filter does for the calls of one route (or one weighted cluster of it),
 * computed once per RDS change.
 *
 * @param requestHeaders changes to the request's metadata (the picked cluster's first)
 * @param responseHeaders changes to the response's headers (the picked cluster's first)
 * @param attempts the filter's own retries for unary calls, or null when grpc's own retries stay
 *     in charge (no per-try timeout)
 * @param routeTimeoutNanos the route timeout covering all tries ({@code
 *     max_stream_duration.max_stream_duration}, else {@code timeout}); 0 for none
 * @param mirrors where copies of unary calls go
 */
record GrpcRoutePolicy(HeaderChanges requestHeaders, HeaderChanges responseHeaders,
    AttemptPolicy attempts, long routeTimeoutNanos, List<MirrorPolicy> mirrors) {

  static final GrpcRoutePolicy NONE =
      new GrpcRoutePolicy(HeaderChanges.NONE, HeaderChanges.NONE, null, 0, List.of());

  GrpcRoutePolicy {
    mirrors = List.copyOf(mirrors);
    if (!mirrors.isEmpty()) {
      MirrorChannels.routesMirror();
    }
  }

  /** Whether calls of the route need the filter at all. */
  boolean isEmpty() {
    return requestHeaders.isEmpty() && responseHeaders.isEmpty() && attempts == null
        && mirrors.isEmpty();
  }
}
