package io.inboard.mesh.security.internal.jwt;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** A request's headers, query parameters and cookies, as either plane hands them over. */
final class JwtTestRequest implements TokenSource {
  private final Map<String, String> headers = new HashMap<>();
  private final Map<String, String> params = new HashMap<>();
  private final Map<String, String> cookies = new HashMap<>();

  static JwtTestRequest bearer(String token) {
    return new JwtTestRequest().header("Authorization", "Bearer " + token);
  }

  JwtTestRequest header(String name, String value) {
    headers.put(name.toLowerCase(Locale.ROOT), value);
    return this;
  }

  JwtTestRequest param(String name, String value) {
    params.put(name, value);
    return this;
  }

  JwtTestRequest cookie(String name, String value) {
    cookies.put(name, value);
    return this;
  }

  @Override
  public String header(String lowerCaseName) {
    return headers.get(lowerCaseName);
  }

  @Override
  public String queryParameter(String name) {
    return params.get(name);
  }

  @Override
  public String cookie(String name) {
    return cookies.get(name);
  }
}
