package io.inboard.mesh.security.internal.authz.match;

import io.inboard.mesh.security.internal.authz.AuthzRequest;
import java.util.regex.Pattern;

/**
 * Matches the (normalized) request path against Istio patterns and path templates. Templates
 * were compiled to regular expressions once; plain patterns compare in place.
 */
public record PathMatcher(StringMatcher[] patterns, Pattern[] templates) implements RequestMatcher {

  @Override
  public boolean matches(AuthzRequest request) {
    String path = request.path();
    if (path == null) {
      return false;
    }
    if (StringMatcher.any(patterns, path, 0, path.length())) {
      return true;
    }
    for (Pattern template : templates) {
      if (template.matcher(path).matches()) {
        return true;
      }
    }
    return false;
  }
}
