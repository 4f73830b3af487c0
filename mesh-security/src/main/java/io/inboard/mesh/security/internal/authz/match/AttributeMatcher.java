package io.inboard.mesh.security.internal.authz.match;

import io.inboard.mesh.security.internal.authz.AuthzRequest;
import java.util.function.Function;

/**
 * Matches one string attribute of the request (method, header, SNI, request principal, ...)
 * against Istio patterns; an absent ({@code null}) attribute matches none.
 */
public record AttributeMatcher(Function<AuthzRequest, String> attribute, StringMatcher[] values)
    implements RequestMatcher {

  @Override
  public boolean matches(AuthzRequest request) {
    return StringMatcher.any(values, attribute.apply(request));
  }
}
