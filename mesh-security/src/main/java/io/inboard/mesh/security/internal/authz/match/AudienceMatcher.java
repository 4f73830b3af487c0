package io.inboard.mesh.security.internal.authz.match;

import io.inboard.mesh.security.internal.authz.AuthzRequest;
import io.inboard.mesh.security.internal.authz.RequestAuth;
import java.util.List;

/** Matches {@code request.auth.audiences}: some audience of the token matches some value. */
public record AudienceMatcher(StringMatcher[] values) implements RequestMatcher {

  @Override
  public boolean matches(AuthzRequest request) {
    RequestAuth auth = request.requestAuth();
    if (auth == null) {
      return false;
    }
    List<String> audiences = auth.audiences();
    for (int i = 0; i < audiences.size(); i++) {
      if (StringMatcher.any(values, audiences.get(i))) {
        return true;
      }
    }
    return false;
  }
}
