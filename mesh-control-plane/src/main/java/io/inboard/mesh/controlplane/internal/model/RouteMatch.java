package io.inboard.mesh.controlplane.internal.model;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;

/**
 * One match condition of a route, as in Istio's {@code HTTPMatchRequest}. All given parts must
 * match; an empty match matches every request.
 *
 * @param uri the request path
 * @param method the HTTP method (for gRPC always {@code POST})
 * @param headers header name (lower case) to match
 * @param queryParams query parameter name to match
 * @param sourceLabels labels the calling workload must carry
 */
public record RouteMatch(
    Optional<StringMatch> uri,
    Optional<StringMatch> method,
    Map<String, StringMatch> headers,
    Map<String, StringMatch> queryParams,
    Map<String, String> sourceLabels) {

  /** Matches every request. */
  public static final RouteMatch ANY =
      new RouteMatch(Optional.empty(), Optional.empty(), Map.of(), Map.of(), Map.of());

  public RouteMatch {
    requireNonNull(uri, "uri");
    requireNonNull(method, "method");
    headers = Map.copyOf(requireNonNull(headers, "headers"));
    queryParams = Map.copyOf(requireNonNull(queryParams, "queryParams"));
    sourceLabels = Map.copyOf(requireNonNull(sourceLabels, "sourceLabels"));
  }
}
