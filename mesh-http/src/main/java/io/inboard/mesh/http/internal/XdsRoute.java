package io.inboard.mesh.http.internal;

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
 */
record XdsRoute(String name, XdsRequestMatch match, List<String> clusters, int[] cumulativeWeights,
    CallPolicy call, XdsFault fault, XdsHeaderChanges requestHeaders,
    XdsHeaderChanges responseHeaders, List<XdsMirror> mirrors) {

  /** A cluster by weight: weight {@code w} of total {@code t} is picked with probability w/t. */
  String pickCluster() {
    if (clusters.size() == 1) {
      return clusters.get(0);
    }
    int total = cumulativeWeights[cumulativeWeights.length - 1];
    int r = ThreadLocalRandom.current().nextInt(total);
    int i = Arrays.binarySearch(cumulativeWeights, r + 1);
    return clusters.get(i >= 0 ? i : -i - 1);
  }

  /** {@code request} with this route's header changes, or {@code request} itself when none. */
  HttpRequest rewrite(HttpRequest request) {
    return requestHeaders.apply(request);
  }
}
