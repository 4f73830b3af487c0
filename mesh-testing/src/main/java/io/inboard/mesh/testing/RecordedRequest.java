package io.inboard.mesh.testing;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One request an {@link HttpBackendExtension} received.
 *
 * @param method the HTTP method, such as {@code GET}
 * @param uri the request target as sent (path and query)
 * @param headers every header, names in lower case, values in arrival order
 * @param body the request body as UTF-8 text (empty if none)
 */
public record RecordedRequest(String method, URI uri, Map<String, List<String>> headers,
    String body) {

  /** The first value of header {@code name} (any case). */
  public Optional<String> header(String name) {
    List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }
}
