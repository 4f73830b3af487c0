package io.inboard.mesh.security.internal.authz.match;

/**
 * Finds the parts of a peer's SPIFFE ID ({@code spiffe://<td>/ns/<ns>/sa/<sa>}) as index ranges,
 * so that matching a namespace or trust domain per request cuts no substrings. Every method
 * returns {@code -1} when the ID has no such part (a plaintext peer's {@code ""}, or an ID not in
 * Istio's form).
 */
public final class SpiffeIdRegions {
  private static final String SCHEME = "spiffe://";

  private SpiffeIdRegions() {}

  /** Where Istio's principal ({@code <td>/ns/<ns>/sa/<sa>}, without the scheme) starts. */
  static int principalStart(String id) {
    return id.startsWith(SCHEME) ? SCHEME.length() : 0;
  }

  /** The end of the trust domain, which starts at {@link #principalStart}. */
  static int trustDomainEnd(String id) {
    int start = principalStart(id);
    int slash = id.indexOf('/', start);
    int end = slash < 0 ? id.length() : slash;
    return end > start ? end : -1;
  }

  /** The start of the namespace: right after {@code <td>/ns/}. */
  static int namespaceStart(String id) {
    int tdEnd = trustDomainEnd(id);
    if (tdEnd < 0 || !id.startsWith("/ns/", tdEnd)) {
      return -1;
    }
    int start = tdEnd + 4;
    int end = id.indexOf('/', start);
    return end > start && id.startsWith("/sa/", end) ? start : -1;
  }

  /** The end of the namespace that starts at {@code namespaceStart}. */
  static int namespaceEnd(String id, int namespaceStart) {
    return id.indexOf('/', namespaceStart);
  }

  /** The end of the service account, which starts at {@code namespaceEnd + 4}. */
  static int serviceAccountEnd(String id, int namespaceEnd) {
    int start = namespaceEnd + 4;
    int slash = id.indexOf('/', start);
    int end = slash < 0 ? id.length() : slash;
    return end > start ? end : -1;
  }
}
