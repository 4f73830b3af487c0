package io.inboard.mesh.http.internal.route;

import com.google.protobuf.Duration;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.inboard.mesh.api.policy.ClientPolicy;
import io.inboard.mesh.api.policy.RetryPolicy;
import io.inboard.mesh.http.internal.resilience.CallPolicy;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The routes of one host ({@code <fqdn>:<port>}), compiled from its RouteConfiguration when it
 * changes; a call only reads it. The virtual host is the one whose domains hold the host
 * (exactly, or {@code *}). The first route that matches wins, as in Envoy.
 *
 * <p><b>Timeout.</b> The route's {@code timeout} when set (0 disables it); else
 * {@code max_stream_duration.grpc_timeout_header_max}, else
 * {@code max_stream_duration.max_stream_duration}, which is where grpc-xds reads it. Inboard's
 * control plane writes the VirtualService timeout to both {@code timeout} and
 * {@code max_stream_duration}, so gRPC and HTTP calls get the same bound. Without any, there is
 * no route timeout (Istio's default, not Envoy's 15 s) and the client's own timeout applies.
 *
 * @param routes the routes in match order
 * @param clusters every cluster the routes name, mirrors' included
 */
public record XdsRouteTable(List<XdsRoute> routes, Set<String> clusters) {

  /** The first route matching {@code request}, or {@code null} (Envoy answers 404 then). */
  public XdsRoute route(HttpRequest request) {
    String path = request.uri().getRawPath();
    if (path == null || path.isEmpty()) {
      path = "/";
    }
    for (XdsRoute r : routes) {
      if (r.match().matches(request, path)) {
        return r;
      }
    }
    return null;
  }

  /**
   * Compiles {@code config} for {@code host}, with {@code client} as the layer below the
   * control plane's (its timeout and retry apply where a route sets none).
   *
   * @throws IllegalArgumentException naming the route config, route and field the HTTP client
   *     cannot honour
   */
  public static XdsRouteTable compile(RouteConfiguration config, String host, ClientPolicy client) {
    checkConfigLevel(config);
    VirtualHost vh = virtualHost(config, host);
    if (vh == null) {
      return new XdsRouteTable(List.of(), Set.of());
    }
    return compileVirtualHost(config, vh, client);
  }

  /** Rejects what the route config sets outside its routes. */
  static void checkConfigLevel(RouteConfiguration config) {
    String where = "route config '" + config.getName() + "'";
    if (config.getRequestHeadersToAddCount() > 0 || config.getResponseHeadersToAddCount() > 0
        || config.getResponseHeadersToRemoveCount() > 0
        || config.getRequestHeadersToRemoveCount() > 0) {
      throw new IllegalArgumentException(where + ": request/response headers to add or remove"
          + " (expected: only on routes)");
    }
  }

  /**
   * Compiles one virtual host of {@code config} (a gateway's route config selects it per request
   * by authority, see {@link GatewayRouteTable}).
   *
   * @throws IllegalArgumentException naming the route config, route and field the HTTP client
   *     cannot honour
   */
  static XdsRouteTable compileVirtualHost(RouteConfiguration config, VirtualHost vh,
      ClientPolicy client) {
    String where = "route config '" + config.getName() + "'";
    List<XdsRoute> routes = new ArrayList<>();
    Set<String> clusters = new LinkedHashSet<>();
    for (int i = 0; i < vh.getRoutesCount(); i++) {
      Route r = vh.getRoutes(i);
      String field = where + " virtual host '" + vh.getName() + "' routes[" + i + "]"
          + (r.getName().isEmpty() ? "" : " ('" + r.getName() + "')");
      XdsRoute compiled = route(r, field, client);
      routes.add(compiled);
      clusters.addAll(compiled.clusters());
      compiled.mirrors().forEach(m -> clusters.add(m.cluster()));
    }
    return new XdsRouteTable(List.copyOf(routes), Set.copyOf(clusters));
  }

  private static VirtualHost virtualHost(RouteConfiguration config, String host) {
    String fqdn = host.substring(0, host.lastIndexOf(':'));
    VirtualHost wildcard = null;
    for (VirtualHost vh : config.getVirtualHostsList()) {
      for (String d : vh.getDomainsList()) {
        if (d.equalsIgnoreCase(host) || d.equalsIgnoreCase(fqdn)) {
          return vh;
        }
        if (d.equals("*")) {
          wildcard = vh;
        }
      }
    }
    return wildcard;
  }

  private static XdsRoute route(Route r, String field, ClientPolicy client) {
    if (!r.hasRoute()) {
      throw new IllegalArgumentException(field + ".action: " + r.getActionCase()
          + " (expected: route)");
    }
    RouteAction a = r.getRoute();
    List<XdsMirror> mirrors = new ArrayList<>();
    for (int i = 0; i < a.getRequestMirrorPoliciesCount(); i++) {
      mirrors.add(XdsMirror.of(a.getRequestMirrorPolicies(i),
          field + ".route.request_mirror_policies[" + i + "]"));
    }
    List<String> clusters = new ArrayList<>();
    List<XdsHeaderChanges> clusterRequests = new ArrayList<>();
    List<XdsHeaderChanges> clusterResponses = new ArrayList<>();
    int[] cumulative;
    switch (a.getClusterSpecifierCase()) {
      case CLUSTER -> {
        clusters.add(a.getCluster());
        cumulative = new int[] {1};
      }
      case WEIGHTED_CLUSTERS -> {
        WeightedCluster wc = a.getWeightedClusters();
        List<Integer> sums = new ArrayList<>();
        int sum = 0;
        for (int i = 0; i < wc.getClustersCount(); i++) {
          WeightedCluster.ClusterWeight cw = wc.getClusters(i);
          int w = cw.getWeight().getValue();
          if (w == 0) {
            continue;
          }
          sum += w;
          clusters.add(cw.getName());
          sums.add(sum);
          String cf = field + ".route.weighted_clusters.clusters[" + i + "]";
          clusterRequests.add(XdsHeaderChanges.of(cw.getRequestHeadersToAddList(),
              cw.getRequestHeadersToRemoveList(), cf + ".request_headers"));
          clusterResponses.add(XdsHeaderChanges.of(cw.getResponseHeadersToAddList(),
              cw.getResponseHeadersToRemoveList(), cf + ".response_headers"));
        }
        if (sum == 0) {
          throw new IllegalArgumentException(field + ".route.weighted_clusters: total weight 0"
              + " (expected: > 0)");
        }
        cumulative = sums.stream().mapToInt(Integer::intValue).toArray();
      }
      default -> throw new IllegalArgumentException(field + ".route.cluster_specifier: "
          + a.getClusterSpecifierCase() + " (expected: cluster or weighted_clusters)");
    }
    long timeout = timeoutNanos(a);
    if (timeout < 0) {
      timeout = client.timeout().map(java.time.Duration::toNanos).orElse(0L);
    }
    RetryPolicy retry = a.hasRetryPolicy()
        ? XdsRetryPolicy.of(a.getRetryPolicy(), field + ".route.retry_policy")
        : client.retry().orElse(RetryPolicy.NONE);
    CallPolicy call = new CallPolicy(timeout, retry, true,
        XdsHashPolicy.of(a.getHashPolicyList(), field + ".route.hash_policy"));
    XdsFault fault = r.containsTypedPerFilterConfig(XdsFault.FILTER)
        ? XdsFault.of(r.getTypedPerFilterConfigOrThrow(XdsFault.FILTER),
            field + ".typed_per_filter_config['" + XdsFault.FILTER + "']")
        : null;
    XdsHeaderChanges request = XdsHeaderChanges.of(r.getRequestHeadersToAddList(),
        r.getRequestHeadersToRemoveList(), field + ".request_headers");
    XdsHeaderChanges response = XdsHeaderChanges.of(r.getResponseHeadersToAddList(),
        r.getResponseHeadersToRemoveList(), field + ".response_headers");
    boolean perCluster = clusterRequests.stream().anyMatch(c -> !c.isEmpty())
        || clusterResponses.stream().anyMatch(c -> !c.isEmpty());
    return new XdsRoute(field, XdsRequestMatch.compile(r.getMatch(), field + ".match"),
        List.copyOf(clusters), cumulative, call, fault, request, response, List.copyOf(mirrors),
        perCluster ? List.copyOf(clusterRequests) : List.of(),
        perCluster ? List.copyOf(clusterResponses) : List.of(), r.getName());
  }

  /** The route timeout in nanoseconds, 0 for none, or -1 when the route sets none. */
  private static long timeoutNanos(RouteAction a) {
    if (a.hasTimeout()) {
      return nanos(a.getTimeout());
    }
    if (a.hasMaxStreamDuration()) {
      RouteAction.MaxStreamDuration m = a.getMaxStreamDuration();
      if (m.hasGrpcTimeoutHeaderMax()) {
        return nanos(m.getGrpcTimeoutHeaderMax());
      }
      if (m.hasMaxStreamDuration()) {
        return nanos(m.getMaxStreamDuration());
      }
    }
    return -1;
  }

  public static long nanos(Duration d) {
    return d.getSeconds() * 1_000_000_000L + d.getNanos();
  }
}
