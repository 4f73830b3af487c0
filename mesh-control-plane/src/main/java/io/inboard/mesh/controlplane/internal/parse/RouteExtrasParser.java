package io.inboard.mesh.controlplane.internal.parse;

import io.inboard.mesh.controlplane.internal.model.RouteExtras;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads an HTTPRoute's {@code mirror}, {@code mirrorPercentage}, the deprecated
 * {@code mirror_percent} (and {@code mirrorPercent}), {@code mirrors}, route-level
 * {@code headers} and each destination's {@code headers} into {@link RouteExtras}, warning that
 * gRPC clients mirror unary calls only.
 */
public final class RouteExtrasParser {
  private static final String GRPC_MIRROR = "gRPC clients mirror unary calls only: a streaming"
      + " call sends no copy (HTTP clients mirror every request)";

  private final java.util.function.UnaryOperator<String> fqdn;
  private final Warnings warnings;

  RouteExtrasParser(java.util.function.UnaryOperator<String> fqdn, Warnings warnings) {
    this.fqdn = fqdn;
    this.warnings = warnings;
  }

  RouteExtras parse(Node http) {
    List<RouteExtras.Mirror> mirrors = new ArrayList<>();
    Node mirror = http.get("mirror");
    if (mirror.present()) {
      warnings.add(mirror.path(), GRPC_MIRROR);
      mirrors.add(mirror(mirror, legacyPercent(http)));
    }
    for (Node m : http.get("mirrors").list()) {
      IstioFields.MIRROR_POLICY.check(m, warnings);
      warnings.add(m.path(), GRPC_MIRROR);
      Node pct = m.get("percentage");
      mirrors.add(mirror(m.get("destination"),
          pct.present() ? pct.get("value").number(0, 100, 100) : 100));
    }
    Node headers = http.get("headers");
    RouteExtras.HeaderChanges request = RouteExtras.HeaderChanges.NONE;
    RouteExtras.HeaderChanges response = RouteExtras.HeaderChanges.NONE;
    if (headers.present()) {
      IstioFields.HEADERS.check(headers, warnings);
      request = changes(headers.get("request"));
      response = changes(headers.get("response"));
    }
    List<RouteExtras.DestinationHeaders> destinations = new ArrayList<>();
    boolean anyDestinationHeaders = false;
    for (Node d : http.get("route").list()) {
      Node h = d.get("headers");
      if (h.present()) {
        IstioFields.HEADERS.check(h, warnings);
        anyDestinationHeaders = true;
        destinations.add(new RouteExtras.DestinationHeaders(changes(h.get("request")),
            changes(h.get("response"))));
      } else {
        destinations.add(RouteExtras.DestinationHeaders.NONE);
      }
    }
    return new RouteExtras(mirrors, request, response,
        anyDestinationHeaders ? destinations : List.of());
  }

  /** {@code mirrorPercentage.value}, else the deprecated integer percent; Istio's default 100. */
  private static double legacyPercent(Node http) {
    Node p = http.get("mirrorPercentage");
    if (p.present()) {
      return p.get("value").number(0, 100, 100);
    }
    for (String legacy : List.of("mirror_percent", "mirrorPercent")) {
      if (http.get(legacy).present()) {
        return http.get(legacy).integer(0, 100, 100);
      }
    }
    return 100;
  }

  private RouteExtras.Mirror mirror(Node d, double percent) {
    IstioFields.DESTINATION.check(d, warnings);
    return new RouteExtras.Mirror(fqdn.apply(d.get("host").string()),
        d.get("subset").optString().orElse(""),
        d.get("port").get("number").integer(1, 65535, 0), percent);
  }

  private RouteExtras.HeaderChanges changes(Node ops) {
    if (!ops.present()) {
      return RouteExtras.HeaderChanges.NONE;
    }
    IstioFields.HEADER_OPERATIONS.check(ops, warnings);
    List<String> remove = new ArrayList<>();
    for (Node r : ops.get("remove").list()) {
      remove.add(r.string().toLowerCase(Locale.ROOT));
    }
    return new RouteExtras.HeaderChanges(lower(ops.get("set").stringMap()),
        lower(ops.get("add").stringMap()), remove);
  }

  private static java.util.Map<String, String> lower(java.util.Map<String, String> m) {
    java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
    m.forEach((k, v) -> out.put(k.toLowerCase(Locale.ROOT), v));
    return out;
  }
}
