package io.inboard.mesh.controlplane.internal.parse;

import io.inboard.mesh.api.internal.RetryOnText;
import io.inboard.mesh.api.policy.RetryOn;
import io.inboard.mesh.api.policy.RetryPolicy;
import io.inboard.mesh.controlplane.ResourceId;
import io.inboard.mesh.controlplane.internal.model.FaultPolicy;
import io.inboard.mesh.controlplane.internal.model.GatewayNames;
import io.inboard.mesh.controlplane.internal.model.GrpcStatuses;
import io.inboard.mesh.controlplane.internal.model.Hosts;
import io.inboard.mesh.controlplane.internal.model.HttpRoute;
import io.inboard.mesh.controlplane.internal.model.ParsedResource;
import io.inboard.mesh.controlplane.internal.model.RouteExtras;
import io.inboard.mesh.controlplane.internal.model.RouteMatch;
import io.inboard.mesh.controlplane.internal.model.StringMatch;
import io.inboard.mesh.controlplane.internal.model.WeightedDestination;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads a VirtualService's {@code spec} into the mesh-api route model. */
public final class VirtualServiceParser {
  /** HTTPRoute actions that replace {@code route}; a route holding one is left out. */
  private static final List<String> NON_FORWARDING = List.of("redirect", "directResponse",
      "delegate");

  private final ResourceId id;
  private final String clusterDomain;
  private final Warnings warnings;

  VirtualServiceParser(ResourceId id, String clusterDomain) {
    this.id = id;
    this.clusterDomain = clusterDomain;
    this.warnings = new Warnings(id);
  }

  ParsedResource.VirtualService parse(Node spec) {
    IstioFields.VIRTUAL_SERVICE.check(spec, warnings);
    IstioFields.checkExportTo(spec.get("exportTo"), warnings);
    List<String> hosts = new ArrayList<>();
    for (Node h : spec.get("hosts").list()) {
      hosts.add(fqdn(h.string()));
    }
    if (hosts.isEmpty()) {
      throw spec.get("hosts").fail("at least one host");
    }
    Set<String> bound = gateways(spec.get("gateways"));
    // Istio: no gateways means mesh only; naming gateways leaves mesh out unless named too
    boolean mesh = bound.isEmpty() || bound.contains(GatewayNames.MESH);
    List<String> gateways = bound.stream().filter(g -> !g.equals(GatewayNames.MESH)).toList();
    List<HttpRoute> routes = new ArrayList<>();
    List<RouteExtras> extras = new ArrayList<>();
    RouteExtrasParser extrasParser = new RouteExtrasParser(this::fqdn, warnings);
    for (Node http : spec.get("http").list()) {
      Optional<HttpRoute> r = route(http);
      if (r.isPresent()) {
        routes.add(r.get());
        extras.add(extrasParser.parse(http));
      }
    }
    return new ParsedResource.VirtualService(id, hosts, mesh, gateways, routes, extras,
        warnings.list());
  }

  /** {@code gateways} (of the spec or of a match) resolved to {@code ns/name} or mesh. */
  private Set<String> gateways(Node list) {
    Set<String> out = new LinkedHashSet<>();
    for (Node g : list.list()) {
      String name = g.string();
      int slash = name.indexOf('/');
      if (name.isBlank() || slash != name.lastIndexOf('/') || slash == 0
          || slash == name.length() - 1) {
        throw g.fail("mesh, a Gateway name, or namespace/name");
      }
      out.add(GatewayNames.resolve(name, id.namespace()));
    }
    return out;
  }

  /** The route, or empty when it only redirects, answers or delegates (warned about). */
  private Optional<HttpRoute> route(Node http) {
    IstioFields.HTTP_ROUTE.check(http, warnings);
    if (!http.get("route").present()
        && NON_FORWARDING.stream().anyMatch(k -> http.get(k).present())) {
      return Optional.empty();
    }
    List<RouteMatch> matches = new ArrayList<>();
    for (Node m : http.get("match").list()) {
      matches.add(match(m));
    }
    List<Node> routeNodes = http.get("route").list();
    if (routeNodes.isEmpty()) {
      throw http.get("route").fail("at least one destination");
    }
    List<WeightedDestination> destinations = new ArrayList<>();
    for (Node r : routeNodes) {
      destinations.add(destination(r, routeNodes.size() == 1));
    }
    if (destinations.stream().mapToInt(WeightedDestination::weight).sum() == 0) {
      throw http.get("route").fail("weights that sum to more than 0");
    }
    Optional<Duration> timeout = http.get("timeout").duration();
    return Optional.of(new HttpRoute(http.get("name").optString().orElse(""), matches,
        destinations, timeout, retry(http.get("retries")), fault(http.get("fault"))));
  }

  private RouteMatch match(Node m) {
    IstioFields.HTTP_MATCH.check(m, warnings);
    Optional<StringMatch> uri =
        m.get("uri").present() ? Optional.of(StringMatches.parse(m.get("uri"))) : Optional.empty();
    Optional<StringMatch> method = Optional.empty();
    if (m.get("method").present()) {
      method = Optional.of(StringMatches.parse(m.get("method")));
      if (!method.get().matches("POST")) {
        warnings.add(m.get("method").path(), "every gRPC call is a POST, so gRPC clients never"
            + " take this match");
      } else {
        warnings.add(m.get("method").path(), "gRPC clients cannot see the method, so this match"
            + " is served without it: HTTP clients take it for any method, not only POST");
      }
    }
    Map<String, StringMatch> query = StringMatches.parseMap(m.get("queryParams"));
    if (!query.isEmpty()) {
      warnings.add(m.get("queryParams").path(),
          "gRPC calls carry no query string, so gRPC clients never take this match (HTTP"
              + " clients do)");
    }
    // honoured per caller: each label set announced in node metadata gets its own routes
    Map<String, String> sourceLabels = m.get("sourceLabels").stringMap();
    return new RouteMatch(uri, method, StringMatches.parseMap(m.get("headers")), query,
        sourceLabels, gateways(m.get("gateways")));
  }

  private WeightedDestination destination(Node r, boolean only) {
    IstioFields.ROUTE_DESTINATION.check(r, warnings);
    Node d = r.get("destination");
    IstioFields.DESTINATION.check(d, warnings);
    String host = fqdn(d.get("host").string());
    String subset = d.get("subset").optString().orElse("");
    int port = d.get("port").get("number").integer(1, 65535, 0);
    // Istio: a lone destination takes all traffic whatever its weight says
    int weight = r.get("weight").integer(0, 100, only ? 100 : 0);
    return new WeightedDestination(host, subset, port, only ? 100 : weight);
  }

  private Optional<RetryPolicy> retry(Node n) {
    if (!n.present()) {
      return Optional.empty();
    }
    IstioFields.RETRY.check(n, warnings);
    int attempts = n.get("attempts").integer(0, Integer.MAX_VALUE, 0);
    Duration perTry = n.get("perTryTimeout").duration().orElse(Duration.ZERO);
    if (!perTry.isZero()) {
      warnings.add(n.get("perTryTimeout").path(), "gRPC clients bound the tries of unary calls"
          + " only; a streaming call's tries are bounded by the route timeout alone (HTTP"
          + " clients bound every try)");
    }
    RetryOn retryOn = RetryOn.ISTIO_DEFAULT;
    Node on = n.get("retryOn");
    if (on.present()) {
      try {
        retryOn = RetryOnText.parse(on.path(), on.string());
      } catch (IllegalArgumentException e) {
        throw on.fail("a comma-separated list of Envoy retry conditions, gRPC codes"
            + " (cancelled, deadline-exceeded, internal, resource-exhausted, unavailable)"
            + " or HTTP status codes");
      }
      if (!retryOn.conditions().isEmpty()) {
        warnings.add(on.path(), "gRPC clients retry on gRPC codes only; HTTP conditions "
            + retryOn.conditions() + " are ignored by them (HTTP clients honour them)");
      }
    }
    return Optional.of(RetryPolicy.of(attempts, perTry, retryOn));
  }

  private Optional<FaultPolicy> fault(Node n) {
    if (!n.present()) {
      return Optional.empty();
    }
    IstioFields.FAULT.check(n, warnings);
    Optional<FaultPolicy.Delay> delay = Optional.empty();
    Node d = n.get("delay");
    if (d.present()) {
      IstioFields.DELAY.check(d, warnings);
      Duration fixed = d.get("fixedDelay").duration()
          .orElseThrow(() -> d.get("fixedDelay").fail("a duration such as 5s"));
      delay = Optional.of(new FaultPolicy.Delay(fixed, percent(d)));
    }
    Optional<FaultPolicy.Abort> abort = Optional.empty();
    Node a = n.get("abort");
    if (a.present()) {
      IstioFields.ABORT.check(a, warnings);
      int http = a.get("httpStatus").integer(200, 599, 0);
      String grpc = a.get("grpcStatus").optString().orElse("");
      if ((http == 0) == grpc.isEmpty()) {
        throw a.fail("exactly one of httpStatus, grpcStatus");
      }
      if (!grpc.isEmpty() && !GrpcStatuses.isName(grpc)) {
        throw a.get("grpcStatus").fail("a gRPC status name such as UNAVAILABLE");
      }
      abort = Optional.of(new FaultPolicy.Abort(http, grpc, percent(a)));
    }
    return Optional.of(new FaultPolicy(delay, abort));
  }

  /** {@code percentage.value}, else the deprecated integer {@code percent}; Istio's default is 0. */
  private static double percent(Node fault) {
    Node percentage = fault.get("percentage");
    if (percentage.present()) {
      return percentage.get("value").number(0, 100, 0);
    }
    return fault.get("percent").integer(0, 100, 0);
  }

  private String fqdn(String host) {
    return Hosts.fqdn(host, id.namespace(), clusterDomain);
  }
}
