package io.inboard.mesh.controlplane.internal.parse;

import io.inboard.mesh.controlplane.ResourceId;
import io.inboard.mesh.controlplane.internal.model.MtlsMode;
import io.inboard.mesh.controlplane.internal.model.ParsedResource;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads a PeerAuthentication's {@code spec} with Istio's rules: modes, a selector of string
 * labels, and {@code portLevelMtls} keyed by workload port, only together with a selector.
 */
public final class PeerAuthenticationValidator {
  private static final List<String> MODES = List.of("UNSET", "DISABLE", "PERMISSIVE", "STRICT");

  private final ResourceId id;
  private final String rootNamespace;
  private final Warnings warnings;

  PeerAuthenticationValidator(ResourceId id, String rootNamespace) {
    this.id = id;
    this.rootNamespace = rootNamespace;
    this.warnings = new Warnings(id);
  }

  /**
   * Reads {@code spec}; throws {@link FieldException} when invalid.
   *
   * @param created {@code metadata.creationTimestamp}, when the resource carries one
   */
  ParsedResource.PeerAuthentication parse(Node spec, Optional<Instant> created) {
    SecurityFields.PEER_AUTHENTICATION.check(spec, warnings);
    SecurityNodes.selector(spec.get("selector"), warnings);
    MtlsMode mode = mtls(spec.get("mtls"));
    Node ports = spec.get("portLevelMtls");
    Map<Integer, MtlsMode> portModes = new TreeMap<>();
    for (String port : ports.keys()) {
      Node entry = ports.get(port);
      if (!port.matches("[1-9]\\d{0,4}") || Integer.parseInt(port) > 65535) {
        throw new FieldException(entry.path(), "'" + port + "' (expected: a port number"
            + " 1..65535 as the key)");
      }
      portModes.put(Integer.parseInt(port), mtls(entry));
    }
    Map<String, String> selector = spec.get("selector").get("matchLabels").stringMap();
    // Istio: a mesh- or namespace-wide policy covers workloads, not ports, which differ by
    // workload
    if (!ports.keys().isEmpty() && selector.isEmpty()) {
      throw ports.fail("portLevelMtls only together with selector.matchLabels");
    }
    if (!selector.isEmpty() && id.namespace().equals(rootNamespace)) {
      // Istio ignores it too (ComposePeerAuthentication); it would otherwise look mesh-wide
      warnings.add("spec.selector", "ignored: a PeerAuthentication with a selector in the root"
          + " namespace " + rootNamespace + " applies to no workload (expected: no selector for"
          + " a mesh-wide policy, or the workload's own namespace)");
    }
    return new ParsedResource.PeerAuthentication(id, selector, mode, portModes, created,
        warnings.list());
  }

  private MtlsMode mtls(Node mtls) {
    if (!mtls.present()) {
      return MtlsMode.UNSET;
    }
    SecurityFields.MUTUAL_TLS.check(mtls, warnings);
    String mode = SecurityNodes.oneOf(mtls.get("mode"), MODES);
    if (mode.equals("PERMISSIVE")) {
      // the one server that cannot follow it; said where the policy is written, once per field
      warnings.add(mtls.get("mode").path(), "PERMISSIVE: workloads serving HTTP on the JDK"
          + " HttpServer (MeshHttpServers) accept only mTLS on these ports, since that server"
          + " cannot take TLS and plaintext on one port; gRPC (MeshGrpc.serverBuilder) and Jetty"
          + " (MeshJetty) accept both");
    }
    return mode.isEmpty() ? MtlsMode.UNSET : MtlsMode.valueOf(mode);
  }
}
