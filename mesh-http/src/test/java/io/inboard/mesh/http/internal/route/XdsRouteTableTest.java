package io.inboard.mesh.http.internal.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.inboard.mesh.api.policy.ClientPolicy;
import java.net.URI;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.Test;

/** Compiling a RouteConfiguration and choosing a route and cluster, as Envoy does. */
class XdsRouteTableTest {

  private static final String HOST = "reviews.default.svc.cluster.local:9080";
  private static final String V1 = "outbound|9080|v1|reviews.default.svc.cluster.local";
  private static final String V2 = "outbound|9080|v2|reviews.default.svc.cluster.local";
  private static final String V3 = "outbound|9080|v3|reviews.default.svc.cluster.local";

  @Test
  void routesJasonToV2AndEveryoneElseToV1() {
    XdsRouteTable table = compile(host(
        route("jason", RouteMatch.newBuilder().setPrefix("/")
            .addHeaders(exactHeader("end-user", "jason")), V2),
        route("default", RouteMatch.newBuilder().setPrefix("/"), V1)));

    assertThat(clusterFor(table, get("/reviews/0", "end-user", "jason"))).isEqualTo(V2);
    assertThat(clusterFor(table, get("/reviews/0", "end-user", "alice"))).isEqualTo(V1);
    assertThat(clusterFor(table, get("/reviews/0"))).isEqualTo(V1);
  }

  @Test
  void firstMatchingRouteWinsEvenWhenALaterOneIsMoreSpecific() {
    XdsRouteTable table = compile(host(
        route("broad", RouteMatch.newBuilder().setPrefix("/reviews"), V1),
        route("specific", RouteMatch.newBuilder().setPath("/reviews/0"), V2)));

    assertThat(clusterFor(table, get("/reviews/0"))).isEqualTo(V1);
  }

  @Test
  void requestNoRouteMatchesGetsNoRoute() {
    XdsRouteTable table = compile(host(
        route("ratings", RouteMatch.newBuilder().setPrefix("/ratings"), V1)));

    assertThat(table.route(get("/reviews/0"))).isNull();
  }

  @Test
  void emptyPathMatchesAsSlash() {
    XdsRouteTable table = compile(host(
        route("root", RouteMatch.newBuilder().setPath("/"), V1)));

    assertThat(clusterFor(table, HttpRequest.newBuilder(
        URI.create("http://reviews.default:9080")).build())).isEqualTo(V1);
  }

  @Test
  void exactDomainWinsOverWildcardVirtualHost() {
    RouteConfiguration config = RouteConfiguration.newBuilder().setName("9080")
        .addVirtualHosts(VirtualHost.newBuilder().setName("any").addDomains("*")
            .addRoutes(route("any", RouteMatch.newBuilder().setPrefix("/"), V3)))
        .addVirtualHosts(VirtualHost.newBuilder().setName("reviews").addDomains(HOST)
            .addRoutes(route("reviews", RouteMatch.newBuilder().setPrefix("/"), V1)))
        .build();

    XdsRouteTable table = XdsRouteTable.compile(config, HOST, ClientPolicy.EMPTY);
    XdsRouteTable other = XdsRouteTable.compile(config, "ratings.default.svc.cluster.local:9080",
        ClientPolicy.EMPTY);

    assertThat(clusterFor(table, get("/"))).isEqualTo(V1);
    assertThat(clusterFor(other, get("/"))).isEqualTo(V3);
  }

  @Test
  void hostWithoutVirtualHostHasNoRoutes() {
    RouteConfiguration config = RouteConfiguration.newBuilder().setName("9080")
        .addVirtualHosts(VirtualHost.newBuilder().setName("ratings")
            .addDomains("ratings.default.svc.cluster.local")
            .addRoutes(route("r", RouteMatch.newBuilder().setPrefix("/"), V1)))
        .build();

    XdsRouteTable table = XdsRouteTable.compile(config, HOST, ClientPolicy.EMPTY);

    assertThat(table.routes()).isEmpty();
    assertThat(table.route(get("/"))).isNull();
  }

  @Test
  void weightedPickFollowsWeightsWithinTwoPercentagePoints() {
    XdsRouteTable table = compile(host(weighted("split", 80, 20, 0)));
    XdsRoute route = table.route(get("/"));
    int n = 20_000;
    int[] counts = new int[route.clusters().size()];

    for (int i = 0; i < n; i++) {
      counts[route.pick()]++;
    }

    // a zero-weight cluster is dropped: it can never be picked
    assertThat(route.clusters()).containsExactly(V1, V2);
    // binomial standard deviation at n=20000, p=0.8 is 0.28 points; 2 points is over 7 sigma
    assertThat(counts[0] / (double) n).isCloseTo(0.80, within(0.02));
    assertThat(counts[1] / (double) n).isCloseTo(0.20, within(0.02));
  }

  @Test
  void singleWeightedClusterIsAlwaysPicked() {
    XdsRoute route = compile(host(weighted("all-v3", 0, 0, 100))).route(get("/"));

    assertThat(route.clusters()).containsExactly(V3);
    for (int i = 0; i < 100; i++) {
      assertThat(route.pick()).isZero();
    }
  }

  @Test
  void tableListsEveryClusterItsRoutesName() {
    XdsRouteTable table = compile(host(
        route("jason", RouteMatch.newBuilder().setPrefix("/")
            .addHeaders(exactHeader("end-user", "jason")), V2),
        weighted("split", 50, 0, 50)));

    assertThat(table.clusters()).containsExactlyInAnyOrder(V1, V2, V3);
  }

  @Test
  void zeroTotalWeightIsRejectedNamingTheRoute() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> compile(host(weighted("none", 0, 0, 0))))
        .withMessageContaining("route config 'reviews'")
        .withMessageContaining("routes[0] ('none').route.weighted_clusters: total weight 0"
            + " (expected: > 0)");
  }

  private static XdsRouteTable compile(VirtualHost.Builder host) {
    return XdsRouteTable.compile(RouteConfiguration.newBuilder().setName("reviews")
        .addVirtualHosts(host).build(), HOST, ClientPolicy.EMPTY);
  }

  private static VirtualHost.Builder host(Route.Builder... routes) {
    VirtualHost.Builder vh = VirtualHost.newBuilder().setName("reviews")
        .addDomains("reviews.default.svc.cluster.local").addDomains(HOST);
    for (Route.Builder r : routes) {
      vh.addRoutes(r);
    }
    return vh;
  }

  private static Route.Builder route(String name, RouteMatch.Builder match, String cluster) {
    return Route.newBuilder().setName(name).setMatch(match)
        .setRoute(RouteAction.newBuilder().setCluster(cluster));
  }

  private static Route.Builder weighted(String name, int v1, int v2, int v3) {
    return Route.newBuilder().setName(name).setMatch(RouteMatch.newBuilder().setPrefix("/"))
        .setRoute(RouteAction.newBuilder().setWeightedClusters(WeightedCluster.newBuilder()
            .addClusters(weight(V1, v1)).addClusters(weight(V2, v2)).addClusters(weight(V3, v3))));
  }

  private static WeightedCluster.ClusterWeight.Builder weight(String cluster, int weight) {
    return WeightedCluster.ClusterWeight.newBuilder().setName(cluster)
        .setWeight(UInt32Value.of(weight));
  }

  private static HeaderMatcher.Builder exactHeader(String name, String value) {
    return HeaderMatcher.newBuilder().setName(name)
        .setStringMatch(StringMatcher.newBuilder().setExact(value));
  }

  private static String clusterFor(XdsRouteTable table, HttpRequest request) {
    XdsRoute route = table.route(request);
    assertThat(route).as("route for %s", request.uri()).isNotNull();
    return route.clusters().get(route.pick());
  }

  private static HttpRequest get(String path, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://reviews.default:9080" + path));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return b.build();
  }
}
