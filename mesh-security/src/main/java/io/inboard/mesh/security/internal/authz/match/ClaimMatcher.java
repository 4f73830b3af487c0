package io.inboard.mesh.security.internal.authz.match;

import io.inboard.mesh.security.internal.authz.AuthzRequest;
import io.inboard.mesh.security.internal.authz.RequestAuth;
import java.util.List;
import java.util.Map;

/**
 * Matches {@code request.auth.claims[a][b]...}: walks nested objects by the names, then matches a
 * string claim, any string of a list claim, or the text of a number or boolean claim.
 */
public record ClaimMatcher(String[] names, StringMatcher[] values) implements RequestMatcher {

  @Override
  public boolean matches(AuthzRequest request) {
    RequestAuth auth = request.requestAuth();
    if (auth == null) {
      return false;
    }
    Object claim = auth.claims();
    for (String name : names) {
      if (!(claim instanceof Map<?, ?> object)) {
        return false;
      }
      claim = object.get(name);
    }
    if (claim instanceof List<?> list) {
      for (Object element : list) {
        if (matchesScalar(element)) {
          return true;
        }
      }
      return false;
    }
    return matchesScalar(claim);
  }

  private boolean matchesScalar(Object claim) {
    if (claim instanceof String text) {
      return StringMatcher.any(values, text);
    }
    if (claim instanceof Number || claim instanceof Boolean) {
      return StringMatcher.any(values, StringMatcher.scalarText(claim));
    }
    return false;
  }
}
