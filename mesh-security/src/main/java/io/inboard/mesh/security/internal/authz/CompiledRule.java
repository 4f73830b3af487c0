package io.inboard.mesh.security.internal.authz;

import io.inboard.mesh.security.internal.authz.match.RequestMatcher;

/**
 * One rule: some {@code from} source matches, some {@code to} operation matches, and every
 * {@code when} condition matches. An empty {@code from} or {@code to} matches any request. Each
 * source or operation is the array of its fields' checks, all of which must match.
 */
record CompiledRule(RequestMatcher[][] from, RequestMatcher[][] to, RequestMatcher[] when) {

  boolean matches(AuthzRequest request) {
    return anyEntry(from, request) && anyEntry(to, request) && RequestMatcher.all(when, request);
  }

  private static boolean anyEntry(RequestMatcher[][] entries, AuthzRequest request) {
    if (entries.length == 0) {
      return true;
    }
    for (RequestMatcher[] entry : entries) {
      if (RequestMatcher.all(entry, request)) {
        return true;
      }
    }
    return false;
  }
}
