package io.inboard.mesh.http.internal;

import io.inboard.mesh.api.ServiceName;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides which URIs name a mesh service. An {@code http} URI whose host is {@code NAME},
 * {@code NAME.NAMESPACE}, {@code NAME.NAMESPACE.svc} or
 * {@code NAME.NAMESPACE.svc.<clusterDomain>} does, like Kubernetes DNS search paths; IP
 * literals, {@code localhost}, {@code https} URIs and other host names do not. Answers are
 * cached, so the regular-expression checks run once per host and port.
 */
final class MeshHosts {

  private static final int MAX_CACHED = 4096;

  private final String namespace;
  private final String clusterDomain;
  private final ConcurrentHashMap<String, Optional<ServiceName>> cache = new ConcurrentHashMap<>();

  MeshHosts(String namespace, String clusterDomain) {
    this.namespace = namespace;
    this.clusterDomain = clusterDomain.toLowerCase(Locale.ROOT);
  }

  /** The service {@code uri} names, or {@code null} when it should go out unchanged. */
  ServiceName resolve(URI uri) {
    String scheme = uri.getScheme();
    String host = uri.getHost();
    if (host == null || scheme == null || !scheme.equalsIgnoreCase("http")) {
      return null;
    }
    // the URI's own authority string (host and port decide the answer): no key built per call
    String key = uri.getRawAuthority();
    Optional<ServiceName> known = cache.get(key);
    if (known == null) {
      known = Optional.ofNullable(parse(host, Math.max(uri.getPort(), 0)));
      if (cache.size() < MAX_CACHED) {
        cache.put(key, known);
      }
    }
    return known.orElse(null);
  }

  ServiceName parse(String rawHost, int port) {
    String host = rawHost.toLowerCase(Locale.ROOT);
    if (host.isEmpty() || !Character.isLetter(host.charAt(0)) || host.equals("localhost")) {
      return null; // IP literals start with a digit or '['; Service names with a letter
    }
    String[] labels = host.split("\\.", -1);
    if (labels.length >= 3) {
      boolean svc = labels[2].equals("svc");
      boolean domainMatches = labels.length == 3
          || host.endsWith(".svc." + clusterDomain)
              && labels.length == 3 + clusterDomain.split("\\.").length;
      if (!svc || !domainMatches) {
        return null;
      }
    }
    try {
      return ServiceName.parse(port > 0 ? host + ":" + port : host, namespace);
    } catch (IllegalArgumentException e) {
      return null; // not a valid Service name, so not a mesh host
    }
  }
}
