package io.inboard.mesh.controlplane.internal.translate;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.core.v3.HeaderValueOption.HeaderAppendAction;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Retries, mirrors and header changes as istiod writes them for Envoy. */
class HttpRouteFieldsTranslationTest {
  static final String FQDN = "reviews.default.svc.cluster.local";

  private Route firstRoute(String http) {
    return ReviewsTranslation.translate(http).routes().get(0).getVirtualHosts(0).getRoutes(0);
  }

  @Test
  void retryOnKeepsHttpConditionsAndMovesStatusCodesToRetriableStatusCodes() {
    Route r = firstRoute("""
        - retries: {attempts: 3, retryOn: "5xx,gateway-error,reset,retriable-4xx,unavailable,418"}
          route: [{destination: {host: reviews, subset: v1}}]
        """);

    var p = r.getRoute().getRetryPolicy();
    assertThat(p.getRetryOn())
        .isEqualTo("5xx,gateway-error,reset,retriable-status-codes,retriable-4xx,unavailable");
    assertThat(p.getRetriableStatusCodesList()).containsExactly(418);
    assertThat(p.getNumRetries().getValue()).isEqualTo(3);
  }

  @Test
  void perTryTimeoutReachesTheRetryPolicy() {
    Route r = firstRoute("""
        - retries: {attempts: 2, perTryTimeout: 1500ms, retryOn: "5xx"}
          route: [{destination: {host: reviews, subset: v1}}]
        """);

    var p = r.getRoute().getRetryPolicy();
    assertThat(p.getPerTryTimeout().getSeconds()).isEqualTo(1);
    assertThat(p.getPerTryTimeout().getNanos()).isEqualTo(500_000_000);
  }

  @Test
  void routeWithoutRetriesGetsIstiosDefault() {
    Route r = firstRoute("- route: [{destination: {host: reviews, subset: v1}}]\n");

    var p = r.getRoute().getRetryPolicy();
    assertThat(p.getRetryOn()).isEqualTo(
        "connect-failure,refused-stream,retriable-status-codes,cancelled,unavailable");
    assertThat(p.getRetriableStatusCodesList()).containsExactly(503);
    assertThat(p.getNumRetries().getValue()).isEqualTo(2);
  }

  @Test
  void mirrorAndMirrorsBecomeRequestMirrorPoliciesWithFractions() {
    Route r = firstRoute("""
        - mirror: {host: reviews, subset: v3}
          mirror_percent: 30
          mirrors:
          - destination: {host: reviews, subset: v1}
            percentage: {value: 12.5}
          route: [{destination: {host: reviews, subset: v1}}]
        """);

    List<RouteAction.RequestMirrorPolicy> m = r.getRoute().getRequestMirrorPoliciesList();
    assertThat(m).extracting(RouteAction.RequestMirrorPolicy::getCluster)
        .containsExactly("outbound|9080|v3|" + FQDN, "outbound|9080|v1|" + FQDN);
    assertThat(m.get(0).getRuntimeFraction().getDefaultValue().getNumerator()).isEqualTo(300_000);
    assertThat(m.get(1).getRuntimeFraction().getDefaultValue().getNumerator()).isEqualTo(125_000);
  }

  @Test
  void mirrorWithoutPercentageMirrorsEverything() {
    Route r = firstRoute("""
        - mirror: {host: reviews, subset: v3}
          route: [{destination: {host: reviews, subset: v1}}]
        """);

    assertThat(r.getRoute().getRequestMirrorPolicies(0).getRuntimeFraction().getDefaultValue()
        .getNumerator()).isEqualTo(1_000_000);
  }

  @Test
  void routeHeadersBecomeRequestAndResponseHeaderChanges() {
    Route r = firstRoute("""
        - headers:
            request: {set: {X-Mode: test}, add: {x-extra: one}, remove: [x-secret]}
            response: {set: {x-served-by: mesh}, remove: [server]}
          route: [{destination: {host: reviews, subset: v1}}]
        """);

    assertThat(r.getRequestHeadersToAddList()).extracting(h -> h.getHeader().getKey(),
        h -> h.getHeader().getValue(), h -> h.getAppendAction()).containsExactly(
        org.assertj.core.groups.Tuple.tuple("x-mode", "test",
            HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD),
        org.assertj.core.groups.Tuple.tuple("x-extra", "one",
            HeaderAppendAction.APPEND_IF_EXISTS_OR_ADD));
    assertThat(r.getRequestHeadersToRemoveList()).containsExactly("x-secret");
    assertThat(r.getResponseHeadersToAddList()).extracting(h -> h.getHeader().getKey())
        .containsExactly("x-served-by");
    assertThat(r.getResponseHeadersToRemoveList()).containsExactly("server");
  }

  @Test
  void destinationHeadersGoOnTheirWeightedCluster_evenForASingleDestination() {
    Route split = firstRoute("""
        - route:
          - destination: {host: reviews, subset: v1}
            weight: 0
          - destination: {host: reviews, subset: v1}
            weight: 60
            headers:
              request: {set: {x-dest: one}}
              response: {remove: [server]}
          - destination: {host: reviews, subset: v3}
            weight: 40
        """);
    var clusters = split.getRoute().getWeightedClusters().getClustersList();
    assertThat(clusters).hasSize(2);
    assertThat(clusters.get(0).getRequestHeadersToAddList())
        .extracting(h -> h.getHeader().getKey(), h -> h.getHeader().getValue())
        .containsExactly(org.assertj.core.groups.Tuple.tuple("x-dest", "one"));
    assertThat(clusters.get(0).getResponseHeadersToRemoveList()).containsExactly("server");
    assertThat(clusters.get(1).getRequestHeadersToAddList()).isEmpty();

    Route single = firstRoute("""
        - route:
          - destination: {host: reviews, subset: v3}
            headers:
              request: {add: {x-dest: three}}
        """);
    assertThat(single.getRoute().getWeightedClusters().getClusters(0)
        .getRequestHeadersToAddList()).extracting(h -> h.getHeader().getValue())
        .containsExactly("three");
  }
}
