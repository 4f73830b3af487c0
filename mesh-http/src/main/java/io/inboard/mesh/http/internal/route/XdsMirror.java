package io.inboard.mesh.http.internal.route;

import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.type.v3.FractionalPercent;
import io.inboard.mesh.http.internal.transport.ChangedRequest;
import io.inboard.mesh.http.internal.transport.Requests;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One {@code request_mirror_policies} entry: a cluster that gets a copy of a share of the
 * route's requests. The copy is fire-and-forget: the caller's call neither waits for it nor sees
 * its outcome.
 *
 * <p><b>Host.</b> Envoy sends the copy with {@code -shadow} appended to the host
 * ({@code reviews:9080} becomes {@code reviews-shadow:9080}). The JDK HttpClient refuses to set
 * {@code Host} (unless the JVM runs with {@code -Djdk.httpclient.allowRestrictedHeaders=host},
 * which Inboard does not ask of applications), and Inboard sends every request with the
 * endpoint's address as its Host. So the shadow name travels in {@code x-forwarded-host}
 * instead; a shadow backend that wants to tell copies from real calls reads that header.
 *
 * @param cluster the mirror cluster's name
 * @param perMillion the share of requests copied, in millionths ({@code runtime_fraction}'s
 *     default value; Envoy's default when absent is 100%)
 */
public record XdsMirror(String cluster, int perMillion) {

  static final String SHADOW_HOST_HEADER = "x-forwarded-host";

  static XdsMirror of(RouteAction.RequestMirrorPolicy p, String field) {
    if (p.getCluster().isEmpty()) {
      throw new IllegalArgumentException(field + ".cluster: '' (expected: a cluster name;"
          + " cluster_header is not supported)");
    }
    if (!p.hasRuntimeFraction()) {
      return new XdsMirror(p.getCluster(), 1_000_000);
    }
    FractionalPercent f = p.getRuntimeFraction().getDefaultValue();
    long scale = switch (f.getDenominator()) {
      case HUNDRED -> 10_000;
      case TEN_THOUSAND -> 100;
      case MILLION -> 1;
      default -> throw new IllegalArgumentException(field + ".runtime_fraction.default_value"
          + ".denominator: " + f.getDenominator() + " (expected: HUNDRED, TEN_THOUSAND or MILLION)");
    };
    return new XdsMirror(p.getCluster(), (int) Math.min(1_000_000, f.getNumerator() * scale));
  }

  /** Whether this request is copied. */
  public boolean sample() {
    return perMillion >= 1_000_000 || ThreadLocalRandom.current().nextInt(1_000_000) < perMillion;
  }

  /**
   * The copy: same method, URI, headers and body, with the shadow host in its header. A request
   * whose transport sends a given authority (the ingress gateway's, see {@link
   * Requests#UPSTREAM_AUTHORITY_HEADER}) has that authority shadowed too, so the copy's
   * {@code Host} is Envoy's {@code <host>-shadow}.
   */
  public static HttpRequest shadow(HttpRequest request) {
    URI u = request.uri();
    String shadowHost = shadowed(u.getRawAuthority() == null ? "" : u.getRawAuthority());
    String upstream = Requests.header(request, Requests.UPSTREAM_AUTHORITY_HEADER);
    // the shadow names laid over the request, not a copy of it
    return ChangedRequest.of(request, upstream == null
        ? Map.of(SHADOW_HOST_HEADER, shadowHost)
        : Map.of(SHADOW_HOST_HEADER, shadowHost,
            Requests.UPSTREAM_AUTHORITY_HEADER, shadowed(upstream)), Map.of(), List.of());
  }

  /** {@code host:port} as {@code host-shadow:port} (an IPv6 literal's colons left alone). */
  private static String shadowed(String authority) {
    int colon = authority.lastIndexOf(':');
    return colon > 0 && authority.indexOf(']', colon) < 0
        ? authority.substring(0, colon) + "-shadow" + authority.substring(colon)
        : authority + "-shadow";
  }
}
