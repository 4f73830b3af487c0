package io.inboard.mesh.controlplane.internal.translate;

import io.inboard.mesh.security.internal.authz.PolicySource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Writes the fetched key set into a RequestAuthentication as the workloads receive it: each
 * rule with a {@code jwksUri} and no {@code jwks} gets {@code jwks} set to the JSON text last
 * fetched from that URI, so that workloads verify tokens without reaching the identity
 * provider (istiod's default, {@code PILOT_JWT_ENABLE_REMOTE_JWKS=false}). While no fetch has
 * succeeded the rule is left as written: workloads then reject that issuer's tokens, as Envoy
 * does when istiod could not fetch the keys. A rule that has {@code jwks} already is left as
 * written.
 */
final class InlineJwks {
  private InlineJwks() {}

  static PolicySource withFetchedKeys(PolicySource source,
      Function<String, Optional<String>> jwks) {
    if (!(source.spec().get("jwtRules") instanceof List<?> rules)) {
      return source;
    }
    boolean changed = false;
    List<Object> out = new ArrayList<>(rules.size());
    for (Object rule : rules) {
      Object served = rule;
      if (rule instanceof Map<?, ?> r && r.get("jwksUri") instanceof String uri
          && r.get("jwks") == null) {
        Optional<String> keys = jwks.apply(uri);
        if (keys.isPresent()) {
          Map<Object, Object> copy = new LinkedHashMap<>(r);
          copy.put("jwks", keys.get());
          served = copy;
          changed = true;
        }
      }
      out.add(served);
    }
    if (!changed) {
      return source;
    }
    Map<String, Object> spec = new LinkedHashMap<>(source.spec());
    spec.put("jwtRules", out);
    return new PolicySource(source.namespace(), source.name(), spec);
  }
}
