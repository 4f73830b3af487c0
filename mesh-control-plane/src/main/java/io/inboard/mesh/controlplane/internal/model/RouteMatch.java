package io.inboard.mesh.controlplane.internal.model;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One match condition of a route, as in Istio's {@code HTTPMatchRequest}. All given parts must
 * match; an empty match matches every request.
 *
 * @param uri the request path
 * @param method the HTTP method (for gRPC always {@code POST})
 * @param headers header name (lower case) to match
 * @param queryParams query parameter name to match
 * @param sourceLabels labels the calling workload must carry
 * @param gateways where the match applies ({@code mesh}, or {@code namespace/name} of a
 *     Gateway); empty where the VirtualService applies
 */
public record RouteMatch(
    Optional<StringMatch> uri,
    Optional<StringMatch> method,
    Map<String, StringMatch> headers,
    Map<String, StringMatch> queryParams,
    Map<String, String> sourceLabels,
    Set<String> gateways) {

  /** Matches every request. */
  public static final RouteMatch ANY =
      new RouteMatch(Optional.empty(), Optional.empty(), Map.of(), Map.of(), Map.of());

  /** A match that applies wherever its VirtualService does. */
  public RouteMatch(Optional<StringMatch> uri, Optional<StringMatch> method,
      Map<String, StringMatch> headers, Map<String, StringMatch> queryParams,
      Map<String, String> sourceLabels) {
    this(uri, method, headers, queryParams, sourceLabels, Set.of());
  }

  /** Whether it applies where routes are built for {@code gateway} ({@code mesh} or ns/name). */
  public boolean appliesAt(String gateway) {
    return gateways.isEmpty() || gateways.contains(gateway);
  }

  public RouteMatch {
    requireNonNull(uri, "uri");
    requireNonNull(method, "method");
    headers = Map.copyOf(requireNonNull(headers, "headers"));
    queryParams = Map.copyOf(requireNonNull(queryParams, "queryParams"));
    sourceLabels = Map.copyOf(requireNonNull(sourceLabels, "sourceLabels"));
    gateways = Set.copyOf(requireNonNull(gateways, "gateways"));
  }
}
