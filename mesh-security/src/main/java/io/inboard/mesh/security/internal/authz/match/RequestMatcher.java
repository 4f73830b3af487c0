package io.inboard.mesh.security.internal.authz.match;

import io.inboard.mesh.security.internal.authz.AuthzRequest;

/**
 * One compiled check on a request. Implementations only compare: every value they need from the
 * policy was parsed when the policy was compiled.
 */
@FunctionalInterface
public interface RequestMatcher {
  /** Always matches: a condition Inboard cannot evaluate, in a policy that must fail closed. */
  RequestMatcher ALWAYS = r -> true;
  /** Never matches: a condition Inboard cannot evaluate, in a policy that must fail open. */
  RequestMatcher NEVER = r -> false;

  boolean matches(AuthzRequest request);

  /** Matches when {@code matcher} does not: the {@code notX} form of a field. */
  static RequestMatcher not(RequestMatcher matcher) {
    return r -> !matcher.matches(r);
  }

  /** Matches when every one of {@code matchers} does (true when empty). */
  static boolean all(RequestMatcher[] matchers, AuthzRequest request) {
    for (RequestMatcher m : matchers) {
      if (!m.matches(request)) {
        return false;
      }
    }
    return true;
  }

  /** Matches when some of {@code matchers} does (false when empty). */
  static boolean any(RequestMatcher[] matchers, AuthzRequest request) {
    for (RequestMatcher m : matchers) {
      if (m.matches(request)) {
        return true;
      }
    }
    return false;
  }
}
