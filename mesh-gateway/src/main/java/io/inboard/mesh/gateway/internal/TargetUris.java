package io.inboard.mesh.gateway.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The URI of each downstream request (scheme, {@code Host} and origin-form target), parsed once
 * per distinct authority and target rather than once per request: a gateway sees the same few
 * paths over and over, and {@link URI}'s parser was about 4.5 % of its Java time per request.
 *
 * <p>Bounded: past {@value #MAX_AUTHORITIES} authorities, or {@value #MAX_TARGETS} targets of one
 * authority, that map starts over, so arbitrary paths cost what they cost before and never grow
 * memory. URIs are immutable values, so sharing them across requests and threads is safe.
 */
final class TargetUris {
  static final int MAX_AUTHORITIES = 64;
  static final int MAX_TARGETS = 1024;

  static final TargetUris HTTP = new TargetUris("http://");
  static final TargetUris HTTPS = new TargetUris("https://");

  private final String scheme;
  private final ConcurrentHashMap<String, ConcurrentHashMap<String, URI>> byAuthority =
      new ConcurrentHashMap<>();

  TargetUris(String schemePrefix) {
    this.scheme = schemePrefix;
  }

  static TargetUris of(boolean secure) {
    return secure ? HTTPS : HTTP;
  }

  /**
   * {@code scheme://authority + target}.
   *
   * @param target an origin-form request target (starts with {@code /})
   * @throws URISyntaxException if the authority or target is not valid in a URI
   */
  URI uri(String authority, String target) throws URISyntaxException {
    ConcurrentHashMap<String, URI> targets = byAuthority.get(authority);
    URI uri = targets == null ? null : targets.get(target);
    if (uri != null) {
      return uri;
    }
    uri = new URI(scheme + authority + target);
    if (targets == null) {
      if (byAuthority.size() >= MAX_AUTHORITIES) {
        byAuthority.clear();
      }
      targets = byAuthority.computeIfAbsent(authority, a -> new ConcurrentHashMap<>());
    }
    if (targets.size() >= MAX_TARGETS) {
      targets.clear();
    }
    targets.put(target, uri);
    return uri;
  }

  /** Authorities held, and targets of the largest; for tests. */
  int authorities() {
    return byAuthority.size();
  }

  int targets(String authority) {
    ConcurrentHashMap<String, URI> t = byAuthority.get(authority);
    return t == null ? 0 : t.size();
  }
}
