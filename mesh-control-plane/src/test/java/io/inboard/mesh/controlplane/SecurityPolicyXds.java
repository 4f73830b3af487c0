package io.inboard.mesh.controlplane;

import com.google.protobuf.Struct;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.inboard.mesh.api.internal.MeshXdsNames;
import io.inboard.mesh.security.internal.authz.PolicySource;
import io.inboard.mesh.security.internal.inbound.SecurityPolicyWire;
import java.util.List;
import java.util.Map;

/** Reads the security policies of served xDS, as the data planes will. */
final class SecurityPolicyXds {
  private SecurityPolicyXds() {}

  static String policy(String kind, String namespace, String name, String spec) {
    return """
        apiVersion: security.istio.io/v1
        kind: %s
        metadata: {name: %s, namespace: %s}
        spec: %s
        """.formatted(kind, name, namespace, spec);
  }

  /** The listener's Inboard metadata, where both policy lists are. */
  static Struct metadata(Listener l) {
    return l.getMetadata().getFilterMetadataOrThrow(MeshXdsNames.METADATA_FILTER);
  }

  /** The AuthorizationPolicies a node of {@code namespace} and {@code labels} is served. */
  static List<PolicySource> authorizationPolicies(ControlPlane cp, String namespace,
      Map<String, String> labels) throws Exception {
    return SecurityPolicyWire.authorizationPolicies(metadata(
        MtlsXds.inbound(cp, namespace, labels)));
  }

  /** The RequestAuthentications a node of {@code namespace} and {@code labels} is served. */
  static List<PolicySource> requestAuthentications(ControlPlane cp, String namespace,
      Map<String, String> labels) throws Exception {
    return SecurityPolicyWire.requestAuthentications(metadata(
        MtlsXds.inbound(cp, namespace, labels)));
  }

  /** {@code spec.jwtRules[index]} of {@code ra}. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> jwtRule(PolicySource ra, int index) {
    return (Map<String, Object>) ((List<?>) ra.spec().get("jwtRules")).get(index);
  }
}
