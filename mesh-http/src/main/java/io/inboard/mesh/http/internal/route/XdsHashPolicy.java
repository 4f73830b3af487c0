package io.inboard.mesh.http.internal.route;

import io.envoyproxy.envoy.config.route.v3.RouteAction.HashPolicy;
import io.inboard.mesh.api.policy.LoadBalancerPolicy.HashKey;
import java.util.List;

/**
 * A route's {@code hash_policy} as the key ring-hash clusters hash on: the first of header,
 * cookie, query parameter or source IP. No policy means a random hash per call, as in Envoy.
 */
final class XdsHashPolicy {

  private XdsHashPolicy() {}

  static HashKey of(List<HashPolicy> policies, String field) {
    if (policies.isEmpty()) {
      return null;
    }
    HashPolicy p = policies.get(0);
    return switch (p.getPolicySpecifierCase()) {
      case HEADER -> new HashKey.Header(p.getHeader().getHeaderName());
      case COOKIE -> new HashKey.Cookie(p.getCookie().getName());
      case QUERY_PARAMETER -> new HashKey.QueryParameter(p.getQueryParameter().getName());
      case CONNECTION_PROPERTIES -> new HashKey.SourceIp();
      default -> throw new IllegalArgumentException(field + "[0]: " + p.getPolicySpecifierCase()
          + " (expected: header, cookie, query_parameter or connection_properties)");
    };
  }
}
