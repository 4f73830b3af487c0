package io.inboard.mesh.controlplane.internal.translate;

import com.google.protobuf.Any;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.core.v3.RuntimeFractionalPercent;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.QueryParameterMatcher;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.extensions.filters.common.fault.v3.FaultDelay;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.FaultAbort;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.inboard.mesh.api.policy.LoadBalancerPolicy;
import io.inboard.mesh.api.policy.RetryPolicy;
import io.inboard.mesh.controlplane.internal.model.FaultPolicy;
import io.inboard.mesh.controlplane.internal.model.GatewayNames;
import io.inboard.mesh.controlplane.internal.model.GrpcStatuses;
import io.inboard.mesh.controlplane.internal.model.HttpRoute;
import io.inboard.mesh.controlplane.internal.model.RouteExtras;
import io.inboard.mesh.controlplane.internal.model.RouteMatch;
import io.inboard.mesh.controlplane.internal.model.StringMatch;
import io.inboard.mesh.controlplane.internal.model.WeightedDestination;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Turns VirtualService routes into Envoy routes for both data planes. Each match alternative
 * becomes one Envoy route with the same action, as Istio does.
 *
 * <p>Query parameters become {@code query_parameters} matchers: grpc-xds skips a route that has
 * any (gRPC calls carry no query string) and Inboard's HTTP client honours them. A method
 * becomes a {@code :method} header matcher, as istiod writes it, unless it accepts POST: grpc-xds
 * cannot see the method, so such a matcher would never match there, and leaving it out keeps
 * the route working for gRPC (where every call is a POST) at the price of HTTP clients taking
 * it for any method; the parser warns about that. An alternative with source labels is kept
 * only when the caller's labels (those it announces in its node metadata, see {@link
 * AdsServer}) include all of them, since each label set is served its own routes. Likewise an
 * alternative restricted to some {@code gateways} is kept only where routes are built for one
 * of them ({@code mesh} for mesh clients, {@code namespace/name} for a Gateway's servers).
 *
 * <p>Mesh clients and gateways get their routes from this one translation, so that a
 * VirtualService means the same whichever of them serves it.
 */
public final class RouteTranslator {
  static final String FAULT_FILTER = "envoy.filters.http.fault";

  private final BiFunction<WeightedDestination, Integer, String> clusterOf;
  private final BiFunction<String, String, Optional<LoadBalancerPolicy>> lbOf;
  private final Map<String, String> callerLabels;
  private final Function<String, MeshClusters.Split> splits;
  private final String gateway;

  /**
   * @param clusterOf the cluster name of a destination, given the listener's port
   * @param lbOf the load balancer policy of (fqdn, subset)
   * @param callerLabels the labels of the workloads these routes are served to
   * @param splits how a cluster is served as an mTLS and a plaintext part (see {@link
   *     MeshClusters}), null when it is not: a weight naming one is shared between both parts
   * @param gateway where these routes are served: {@code mesh}, or a Gateway's {@code
   *     namespace/name}
   */
  RouteTranslator(BiFunction<WeightedDestination, Integer, String> clusterOf,
      BiFunction<String, String, Optional<LoadBalancerPolicy>> lbOf,
      Map<String, String> callerLabels, Function<String, MeshClusters.Split> splits,
      String gateway) {
    this.gateway = gateway;
    this.clusterOf = clusterOf;
    this.lbOf = lbOf;
    this.callerLabels = Map.copyOf(callerLabels);
    this.splits = splits;
  }

  List<Route> translate(List<HttpRoute> routes, List<RouteExtras> extras, int port) {
    List<Route> out = new ArrayList<>();
    for (int i = 0; i < routes.size(); i++) {
      HttpRoute route = routes.get(i);
      RouteExtras extra = extras.get(i);
      RouteAction action = mirrors(action(route, port, extra), extra, port);
      List<RouteMatch> matches = route.matches().isEmpty() ? List.of(RouteMatch.ANY) : route.matches();
      for (RouteMatch m : matches) {
        if (!m.appliesAt(gateway)
            || !callerLabels.entrySet().containsAll(m.sourceLabels().entrySet())) {
          continue;
        }
        Route.Builder r = Route.newBuilder().setMatch(match(m)).setRoute(action);
        if (!route.name().isEmpty()) {
          r.setName(route.name());
        }
        route.fault().ifPresent(f -> r.putTypedPerFilterConfig(FAULT_FILTER, Any.pack(fault(f))));
        RouteHeaders.apply(r, extra);
        out.add(GatewayNames.MESH.equals(gateway) ? GrpcRouteExtensions.apply(r.build())
            : r.build()); // gateways are HTTP clients: they read the route itself
      }
    }
    return out;
  }

  /**
   * A route to every endpoint of the service, used in the mesh when no VirtualService covers it;
   * it carries Istio's default retry policy, so gRPC clients get it as a route extension too.
   */
  Route defaultRoute(String fqdn, int port) {
    HttpRoute all = new HttpRoute("", List.of(),
        List.of(new WeightedDestination(fqdn, "", port, 100)),
        Optional.empty(), Optional.empty(), Optional.empty());
    return GrpcRouteExtensions.apply(Route.newBuilder().setMatch(match(RouteMatch.ANY))
        .setRoute(action(all, port, RouteExtras.NONE)).build());
  }

  private static io.envoyproxy.envoy.config.route.v3.RouteMatch match(RouteMatch m) {
    var b = io.envoyproxy.envoy.config.route.v3.RouteMatch.newBuilder();
    if (m.uri().isEmpty()) {
      b.setPrefix("");
    } else if (m.uri().get() instanceof StringMatch.Exact e) {
      b.setPath(e.value());
    } else if (m.uri().get() instanceof StringMatch.Prefix p) {
      b.setPrefix(p.value());
    } else if (m.uri().get() instanceof StringMatch.Regex r) {
      b.setSafeRegex(regex(r));
    }
    for (Map.Entry<String, StringMatch> h : m.headers().entrySet()) {
      b.addHeaders(HeaderMatcher.newBuilder().setName(h.getKey())
          .setStringMatch(stringMatcher(h.getValue())));
    }
    m.method().filter(method -> !method.matches("POST")).ifPresent(method -> b.addHeaders(
        HeaderMatcher.newBuilder().setName(":method").setStringMatch(stringMatcher(method))));
    for (Map.Entry<String, StringMatch> q : m.queryParams().entrySet()) {
      b.addQueryParameters(QueryParameterMatcher.newBuilder().setName(q.getKey())
          .setStringMatch(stringMatcher(q.getValue())));
    }
    return b.build();
  }

  private static StringMatcher stringMatcher(StringMatch m) {
    if (m instanceof StringMatch.Exact e) {
      return StringMatcher.newBuilder().setExact(e.value()).build();
    }
    if (m instanceof StringMatch.Prefix p) {
      return StringMatcher.newBuilder().setPrefix(p.value()).build();
    }
    return StringMatcher.newBuilder().setSafeRegex(regex((StringMatch.Regex) m)).build();
  }

  private static RegexMatcher regex(StringMatch.Regex r) {
    return RegexMatcher.newBuilder().setRegex(r.pattern().pattern()).build();
  }

  private RouteAction action(HttpRoute route, int port, RouteExtras extra) {
    RouteAction.Builder a = RouteAction.newBuilder();
    List<WeightedDestination> live =
        route.destinations().stream().filter(d -> d.weight() > 0).toList();
    List<WeightedCluster.ClusterWeight> weights = new ArrayList<>();
    for (int i = 0; i < route.destinations().size(); i++) {
      WeightedDestination d = route.destinations().get(i);
      String cluster = clusterOf.apply(d, port);
      MeshClusters.Split split = splits.apply(cluster);
      // a mixed cluster's weight is shared by endpoint count, rounded so that both parts sum
      // to it; a part whose share rounds to 0 is left out
      int mtls = split == null ? d.weight() : (int) Math.round(
          d.weight() * (double) split.mtls() / (split.mtls() + split.plaintext()));
      addWeight(weights, cluster, mtls, extra.destination(i));
      addWeight(weights, XdsNames.plaintextPart(cluster), d.weight() - mtls,
          extra.destination(i));
    }
    if (weights.size() == 1 && extra.destinations().isEmpty()) {
      a.setCluster(weights.get(0).getName());
    } else {
      // per-destination header changes live on the weighted cluster, even when it is the only one
      a.setWeightedClusters(WeightedCluster.newBuilder().addAllClusters(weights));
    }
    // grpc-xds reads the route timeout from max_stream_duration, not from timeout
    route.timeout().ifPresent(t -> {
      a.setTimeout(Protos.duration(t));
      a.setMaxStreamDuration(RouteAction.MaxStreamDuration.newBuilder()
          .setMaxStreamDuration(Protos.duration(t)));
    });
    // Istio's sidecars retry by default; proxyless clients get the same default
    retry(route.retry().orElse(RetryPolicy.ISTIO_DEFAULT)).ifPresent(a::setRetryPolicy);
    for (WeightedDestination d : live) {
      Optional<LoadBalancerPolicy> lb = lbOf.apply(d.host(), d.subset());
      if (lb.isPresent() && lb.get() instanceof LoadBalancerPolicy.ConsistentHash ch
          && ch.key() instanceof LoadBalancerPolicy.HashKey.Header h) {
        a.addHashPolicy(RouteAction.HashPolicy.newBuilder()
            .setHeader(RouteAction.HashPolicy.Header.newBuilder().setHeaderName(h.name())));
        break;
      }
    }
    return a.build();
  }

  private static void addWeight(List<WeightedCluster.ClusterWeight> weights, String cluster,
      int weight, RouteExtras.DestinationHeaders headers) {
    if (weight > 0) {
      WeightedCluster.ClusterWeight.Builder cw = WeightedCluster.ClusterWeight.newBuilder()
          .setName(cluster).setWeight(UInt32Value.of(weight));
      RouteHeaders.apply(cw, headers);
      weights.add(cw.build());
    }
  }

  /** Adds a {@code request_mirror_policies} entry per mirror, as istiod writes them. */
  private RouteAction mirrors(RouteAction action, RouteExtras extra, int port) {
    if (extra.mirrors().isEmpty()) {
      return action;
    }
    RouteAction.Builder a = action.toBuilder();
    for (RouteExtras.Mirror m : extra.mirrors()) {
      a.addRequestMirrorPolicies(RouteAction.RequestMirrorPolicy.newBuilder()
          .setCluster(clusterOf.apply(
              new WeightedDestination(m.host(), m.subset(), m.port(), 100), port))
          .setRuntimeFraction(RuntimeFractionalPercent.newBuilder()
              .setDefaultValue(Protos.percent(m.percent()))));
    }
    return a.build();
  }

  /**
   * Istio's retryOn as Envoy's {@code retry_on}, as istiod writes it: HTTP and connection
   * conditions and gRPC names side by side, bare status codes in {@code retriable_status_codes}
   * (with {@code retriable-status-codes} in {@code retry_on}). grpc-xds 1.85 skips every token
   * that is not a gRPC status name (XdsRouteConfigureResource.parseRetryPolicy catches the
   * failed {@code Status.Code.valueOf}) and ignores {@code retriable_status_codes}; with no gRPC
   * name left it configures no retries. So gRPC clients see exactly their gRPC codes, and HTTP
   * clients see everything.
   */
  private static Optional<io.envoyproxy.envoy.config.route.v3.RetryPolicy> retry(RetryPolicy p) {
    List<String> tokens = new ArrayList<>();
    p.retryOn().conditions().stream().sorted().forEach(c -> tokens.add(c.text()));
    p.retryOn().grpcCodes().stream().sorted().forEach(g -> tokens.add(g.text()));
    if (p.attempts() == 0 || tokens.isEmpty()) {
      return Optional.empty();
    }
    String on = String.join(",", tokens);
    var b = io.envoyproxy.envoy.config.route.v3.RetryPolicy.newBuilder()
        .setRetryOn(on).setNumRetries(UInt32Value.of(p.attempts()))
        .addAllRetriableStatusCodes(p.retryOn().statusCodes().stream().sorted().toList())
        .setRetryBackOff(io.envoyproxy.envoy.config.route.v3.RetryPolicy.RetryBackOff.newBuilder()
            .setBaseInterval(Protos.duration(p.baseBackoff()))
            .setMaxInterval(Protos.duration(p.maxBackoff())));
    if (p.hasPerTryTimeout()) {
      // grpc-xds does not read it (the parser warns); HTTP clients bound each try with it
      b.setPerTryTimeout(Protos.duration(p.perTryTimeout()));
    }
    return Optional.of(b.build());
  }

  private static HTTPFault fault(FaultPolicy f) {
    HTTPFault.Builder b = HTTPFault.newBuilder();
    f.delay().ifPresent(d -> b.setDelay(FaultDelay.newBuilder()
        .setFixedDelay(Protos.duration(d.fixedDelay())).setPercentage(Protos.percent(d.percent()))));
    f.abort().ifPresent(a -> {
      FaultAbort.Builder ab = FaultAbort.newBuilder().setPercentage(Protos.percent(a.percent()));
      if (a.httpStatus() != 0) {
        ab.setHttpStatus(a.httpStatus());
      } else {
        ab.setGrpcStatus(GrpcStatuses.code(a.grpcStatus()));
      }
      b.setAbort(ab);
    });
    return b.build();
  }
}
