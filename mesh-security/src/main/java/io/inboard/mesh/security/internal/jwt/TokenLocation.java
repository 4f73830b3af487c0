package io.inboard.mesh.security.internal.jwt;

/**
 * One place a rule looks for a token: a header (with an optional value prefix), a query
 * parameter, or a cookie. Records, so that identical locations from different rules compare
 * equal and are looked at once.
 */
sealed interface TokenLocation {

  /** The token at this location of {@code request}, or {@code null} when there is none. */
  String find(TokenSource request);

  /**
   * The header to remove when the rule does not forward the original token, or {@code null}:
   * like Envoy, a token from a query parameter or a cookie is left in place.
   */
  default String headerToRemove() {
    return null;
  }

  /**
   * Header {@code lowerCaseName}; a value that does not start with {@code prefix} (compared
   * case-sensitively) holds no token, and neither does the prefix alone.
   */
  record Header(String lowerCaseName, String prefix) implements TokenLocation {
    @Override
    public String find(TokenSource request) {
      String value = request.header(lowerCaseName);
      if (value == null || !value.startsWith(prefix) || value.length() == prefix.length()) {
        return null;
      }
      return value.substring(prefix.length());
    }

    @Override
    public String headerToRemove() {
      return lowerCaseName;
    }
  }

  /** Query parameter {@code name}. */
  record Param(String name) implements TokenLocation {
    @Override
    public String find(TokenSource request) {
      return nonEmpty(request.queryParameter(name));
    }
  }

  /** Cookie {@code name}. */
  record Cookie(String name) implements TokenLocation {
    @Override
    public String find(TokenSource request) {
      return nonEmpty(request.cookie(name));
    }
  }

  private static String nonEmpty(String value) {
    return value == null || value.isEmpty() ? null : value;
  }
}
