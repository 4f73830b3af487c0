package io.inboard.mesh.security.internal.authz;

/** The {@code action} of an AuthorizationPolicy; {@link #ALLOW} when absent. */
enum PolicyAction {
  ALLOW,
  DENY,
  AUDIT,
  /** An external authorizer Inboard does not have: enforced as a DENY (fail closed). */
  CUSTOM;

  /** Whether a condition Inboard cannot evaluate counts as matching, so the policy fails closed. */
  boolean failsClosed() {
    return this == DENY || this == CUSTOM;
  }
}
