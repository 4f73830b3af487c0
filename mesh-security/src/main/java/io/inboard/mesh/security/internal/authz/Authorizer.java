package io.inboard.mesh.security.internal.authz;

import java.util.List;

/**
 * The AuthorizationPolicies that apply to one workload, compiled into matchers once so that a
 * decision only compares.
 */
public final class Authorizer {
  /** No policy applies: everything is allowed. */
  public static final Authorizer NONE = new Authorizer();

  private Authorizer() {}

  /**
   * Compiles {@code policies} (every AuthorizationPolicy that applies to one workload, in any
   * order).
   *
   * @throws PolicyException naming the first policy and field that cannot be compiled
   */
  public static Authorizer compile(List<PolicySource> policies) {
    throw new UnsupportedOperationException("TODO");
  }

  /** The decision for {@code request}. */
  public AuthzDecision decide(AuthzRequest request) {
    return AuthzDecision.ALLOW_NO_POLICY;
  }

  /**
   * What the compiled policies do differently from Istio, one line each, naming the policy and
   * field (a CUSTOM policy enforced as deny; a {@code when} key Inboard cannot evaluate).
   */
  public List<String> warnings() {
    return List.of();
  }

  /** Whether some rule reads the request's JWT identity ({@code requestPrincipals}, {@code request.auth.*}). */
  public boolean readsRequestAuth() {
    return false;
  }
}
