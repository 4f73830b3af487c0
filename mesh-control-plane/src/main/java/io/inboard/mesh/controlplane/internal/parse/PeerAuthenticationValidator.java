package io.inboard.mesh.controlplane.internal.parse;

import io.inboard.mesh.controlplane.ResourceId;
import java.util.List;

/**
 * Validates a PeerAuthentication's {@code spec} as Istio does. It is not enforced yet, so only
 * errors and unknown fields are reported; the caller stores it as not served.
 */
public final class PeerAuthenticationValidator {
  private static final List<String> MODES = List.of("UNSET", "DISABLE", "PERMISSIVE", "STRICT");

  private final Warnings warnings;

  PeerAuthenticationValidator(ResourceId id) {
    this.warnings = new Warnings(id);
  }

  /** Checks {@code spec}; returns the warnings; throws {@link FieldException} when invalid. */
  Warnings validate(Node spec) {
    SecurityFields.PEER_AUTHENTICATION.check(spec, warnings);
    SecurityNodes.selector(spec.get("selector"), warnings);
    mtls(spec.get("mtls"));
    Node ports = spec.get("portLevelMtls");
    for (String port : ports.keys()) {
      Node entry = ports.get(port);
      if (!port.matches("[1-9]\\d{0,4}") || Integer.parseInt(port) > 65535) {
        throw new FieldException(entry.path(), "'" + port + "' (expected: a port number"
            + " 1..65535 as the key)");
      }
      mtls(entry);
    }
    // Istio: a mesh- or namespace-wide policy covers workloads, not ports, which differ by
    // workload
    if (!ports.keys().isEmpty() && !SecurityNodes.selects(spec.get("selector"))) {
      throw ports.fail("portLevelMtls only together with selector.matchLabels");
    }
    return warnings;
  }

  private void mtls(Node mtls) {
    if (mtls.present()) {
      SecurityFields.MUTUAL_TLS.check(mtls, warnings);
      SecurityNodes.oneOf(mtls.get("mode"), MODES);
    }
  }
}
