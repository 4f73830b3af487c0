package io.inboard.mesh.security.internal.authz;

import java.util.List;

/**
 * An authorization decision.
 *
 * @param allowed whether the request may go on
 * @param policy the {@code namespace/name} of the policy that decided (the DENY or CUSTOM policy
 *     that matched, or the ALLOW policy that matched); {@code ""} when no policy applies (allowed)
 *     or when ALLOW policies exist and none matched (denied)
 * @param audited the {@code namespace/name} of every AUDIT policy that matched; they never
 *     change the decision
 */
public record AuthzDecision(boolean allowed, String policy, List<String> audited) {
  /** Allowed, as no policy applies. */
  public static final AuthzDecision ALLOW_NO_POLICY = new AuthzDecision(true, "", List.of());

  public AuthzDecision {
    audited = List.copyOf(audited);
  }
}
