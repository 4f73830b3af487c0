package io.inboard.mesh.security.internal.inbound;

import io.inboard.mesh.security.internal.authz.Authorizer;
import io.inboard.mesh.security.internal.authz.PolicySource;
import io.inboard.mesh.security.internal.jwt.JwtAuthenticator;
import java.util.List;

/**
 * A workload's AuthorizationPolicies and RequestAuthentications, compiled: what the access check
 * runs on every inbound request.
 *
 * @param authorizationPolicies the policies as received, to tell a change from a repeat
 * @param requestAuthentications likewise
 */
public record AccessPolicy(Authorizer authorizer, JwtAuthenticator authenticator,
    List<PolicySource> authorizationPolicies, List<PolicySource> requestAuthentications) {

  /** No policy: every request is allowed, as it is unchanged. */
  public static final AccessPolicy NONE = new AccessPolicy(Authorizer.NONE, JwtAuthenticator.NONE,
      List.of(), List.of());

  public AccessPolicy {
    authorizationPolicies = List.copyOf(authorizationPolicies);
    requestAuthentications = List.copyOf(requestAuthentications);
  }

  /**
   * Compiles the policies.
   *
   * @throws io.inboard.mesh.security.internal.authz.PolicyException naming the resource and
   *     field that cannot be compiled
   */
  public static AccessPolicy compile(List<PolicySource> authorizationPolicies,
      List<PolicySource> requestAuthentications) {
    if (authorizationPolicies.isEmpty() && requestAuthentications.isEmpty()) {
      return NONE;
    }
    return new AccessPolicy(
        authorizationPolicies.isEmpty() ? Authorizer.NONE
            : Authorizer.compile(authorizationPolicies),
        requestAuthentications.isEmpty() ? JwtAuthenticator.NONE
            : JwtAuthenticator.compile(requestAuthentications),
        authorizationPolicies, requestAuthentications);
  }

  /** Whether no policy applies, so the check can be skipped. */
  public boolean isEmpty() {
    return authorizationPolicies.isEmpty() && requestAuthentications.isEmpty();
  }
}
