package io.inboard.mesh.controlplane.internal.parse;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code when} keys Istio accepts (istio.io/docs/reference/config/security/conditions/,
 * {@code security.go ValidateAttribute}), and the values it checks by key: addresses for the
 * {@code *.ip} keys, port numbers for {@code destination.port}. An unknown key is refused
 * rather than ignored, as Istio does: a condition that matched nothing would silently widen a
 * DENY policy or narrow an ALLOW one.
 */
final class ConditionKeys {
  private static final List<String> PLAIN = List.of("source.ip", "remote.ip",
      "source.namespace", "source.principal", "source.serviceAccount", "source.trustDomain",
      "request.auth.principal", "request.auth.audiences", "request.auth.presenter",
      "destination.ip", "destination.port", "connection.sni");
  /** {@code request.headers[name]} and {@code request.auth.claims[a][b]...}, names non-empty. */
  private static final Pattern HEADER = Pattern.compile("request\\.headers\\[[^\\[\\]]+]");
  private static final Pattern CLAIMS = Pattern.compile("request\\.auth\\.claims(\\[[^\\[\\]]+])+");
  private static final String EXPERIMENTAL = "experimental.envoy.filters.";

  private ConditionKeys() {}

  /** Checks {@code key} and, for address and port keys, each of {@code values}. */
  static void check(Node key, List<Node> values) {
    String k = key.string();
    if (!PLAIN.contains(k) && !HEADER.matcher(k).matches() && !CLAIMS.matcher(k).matches()
        && !(k.startsWith(EXPERIMENTAL) && k.length() > EXPERIMENTAL.length())) {
      throw key.fail("a condition key Istio defines: request.headers[NAME], source.ip,"
          + " remote.ip, source.namespace, source.principal, source.serviceAccount,"
          + " source.trustDomain, request.auth.principal, request.auth.audiences,"
          + " request.auth.presenter, request.auth.claims[NAME], destination.ip,"
          + " destination.port, connection.sni or experimental.envoy.filters.*");
    }
    for (Node v : values) {
      switch (k) {
        case "source.ip", "remote.ip", "destination.ip" -> SecurityNodes.ipBlock(v);
        case "destination.port" -> SecurityNodes.port(v);
        default -> { }
      }
    }
  }
}
