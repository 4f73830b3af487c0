package io.inboard.mesh.http.internal.route;

import io.inboard.mesh.http.internal.resilience.CallPolicy;
import java.net.http.HttpRequest;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One compiled xDS route: what it matches, the clusters it splits over (by weight), the call
 * policy (timeout, retries, hash key), its fault, its header changes and its mirrors. Immutable;
 * built on each route-config change.
 *
 * @param name the route's name, for messages ({@code routes[i]} when unnamed)
 * @param match the request match
 * @param clusters the cluster names, in config order
 * @param cumulativeWeights running sums of the clusters' weights, for a binary-search pick
 * @param call the call policy
 * @param fault the fault to inject, or {@code null}
 * @param requestHeaders changes to the request's headers
 * @param responseHeaders changes to the response's headers
 * @param mirrors where copies of the route's requests go
 * @param clusterRequestHeaders each cluster's own request-header changes (a weighted cluster's,
 *     from a VirtualService destination's {@code headers}), parallel to {@code clusters}; empty
 *     when no cluster has any
 * @param clusterResponseHeaders the same for response headers
 * @param routeName the route's own {@code name} ({@code %ROUTE_NAME%}), {@code ""} when unnamed
 */
public record XdsRoute(String name, XdsRequestMatch match, List<String> clusters, int[] cumulativeWeights,
    CallPolicy call, XdsFault fault, XdsHeaderChanges requestHeaders,
    XdsHeaderChanges responseHeaders, List<XdsMirror> mirrors,
    List<XdsHeaderChanges> clusterRequestHeaders, List<XdsHeaderChanges> clusterResponseHeaders,
    String routeName) {

  /** A cluster's index by weight: weight {@code w} of total {@code t} has probability w/t. */
  public int pick() {
    if (clusters.size() == 1) {
      return 0;
    }
    int total = cumulativeWeights[cumulativeWeights.length - 1];
    int r = ThreadLocalRandom.current().nextInt(total);
    int i = Arrays.binarySearch(cumulativeWeights, r + 1);
    return i >= 0 ? i : -i - 1;
  }

  /** {@code request} with this route's header changes, or {@code request} itself when none. */
  public HttpRequest rewrite(HttpRequest request) {
    return requestHeaders.apply(request);
  }

  /**
   * {@code request} as sent to cluster {@code i}: its own header changes first, then the
   * route's, which win where both set a header (Envoy's default order, least specific last).
   */
  public HttpRequest rewrite(HttpRequest request, int i) {
    HttpRequest r = clusterRequestHeaders.isEmpty() ? request
        : clusterRequestHeaders.get(i).apply(request);
    return requestHeaders.apply(r);
  }

  /** The response-header changes of cluster {@code i} (applied before the route's). */
  public XdsHeaderChanges clusterResponseHeaders(int i) {
    return clusterResponseHeaders.isEmpty() ? XdsHeaderChanges.NONE
        : clusterResponseHeaders.get(i);
  }
}
