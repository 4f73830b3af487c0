package io.inboard.mesh.security.internal.jwt;

/**
 * A change the JWT step makes to the request before the application sees it.
 *
 * @param name the header name, lower case
 * @param value the value to set (replacing any), or {@code null} to remove the header
 */
public record HeaderChange(String name, String value) {
  /** Removes header {@code name}. */
  public static HeaderChange remove(String name) {
    return new HeaderChange(name, null);
  }

  /** Sets header {@code name} to {@code value}, replacing any. */
  public static HeaderChange set(String name, String value) {
    return new HeaderChange(name, value);
  }
}
