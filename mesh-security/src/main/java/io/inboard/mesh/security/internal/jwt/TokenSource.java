package io.inboard.mesh.security.internal.jwt;

/** Where a JWT may be found on one inbound request, whichever plane received it. */
public interface TokenSource {

  /** Every value of header {@code lowerCaseName} joined by {@code ","}, or {@code null}. */
  String header(String lowerCaseName);

  /** The first value of query parameter {@code name}, URL-decoded, or {@code null}; gRPC has none. */
  String queryParameter(String name);

  /** The value of cookie {@code name} (from the {@code Cookie} header), or {@code null}. */
  String cookie(String name);
}
