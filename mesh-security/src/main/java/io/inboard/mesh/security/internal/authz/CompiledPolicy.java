package io.inboard.mesh.security.internal.authz;

import java.util.List;

/**
 * One AuthorizationPolicy: it matches a request when some rule does (never when it has none).
 *
 * @param decision the decision this policy makes when it matches: a deny naming it for DENY and
 *     CUSTOM, an allow naming it for ALLOW; unused for AUDIT
 */
record CompiledPolicy(String id, PolicyAction action, CompiledRule[] rules, AuthzDecision decision) {

  static CompiledPolicy of(String id, PolicyAction action, CompiledRule[] rules) {
    boolean allows = action == PolicyAction.ALLOW || action == PolicyAction.AUDIT;
    return new CompiledPolicy(id, action, rules, new AuthzDecision(allows, id, List.of()));
  }

  boolean matches(AuthzRequest request) {
    for (CompiledRule rule : rules) {
      if (rule.matches(request)) {
        return true;
      }
    }
    return false;
  }
}
