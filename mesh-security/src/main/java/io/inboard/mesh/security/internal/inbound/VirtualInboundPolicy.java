package io.inboard.mesh.security.internal.inbound;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.inboard.mesh.api.internal.MeshXdsNames;
import io.inboard.mesh.api.internal.telemetry.policy.TelemetryPolicy;
import io.inboard.mesh.security.internal.authz.PolicySource;
import java.util.Arrays;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a workload's inbound mTLS policy from the control plane's {@code virtualInbound}
 * listener: each filter chain carries its mode in
 * {@code metadata.filter_metadata["io.inboard.mesh"].mtlsMode} ({@code STRICT},
 * {@code PERMISSIVE} or {@code DISABLE}); a chain matching a {@code destination_port} sets that
 * workload port's mode, and the one chain without a port sets the workload's mode (PERMISSIVE,
 * Istio's default, when there is none). Other match fields are not Inboard's and are not read.
 *
 * <p>The listener's own {@code metadata.filter_metadata["io.inboard.mesh"]} carries the
 * AuthorizationPolicies and RequestAuthentications that apply to the workload (see {@link
 * SecurityPolicyWire}), and the Telemetry resources and tracing providers (see {@link
 * TelemetryWire}); {@link #problem} compiles them all, so a listener whose policies cannot be
 * compiled is refused whole and the workload keeps its last good ones.
 */
public final class VirtualInboundPolicy {
  private VirtualInboundPolicy() {}

  /**
   * The policy {@code listener} states.
   *
   * @throws IllegalArgumentException naming the listener, the field, the value and what was
   *     expected
   */
  public static InboundMtlsPolicy fromListener(Listener listener) {
    MtlsMode defaultMode = null;
    Map<Integer, MtlsMode> ports = new LinkedHashMap<>();
    for (int i = 0; i < listener.getFilterChainsCount(); i++) {
      FilterChain chain = listener.getFilterChains(i);
      String at = "listener '" + listener.getName() + "' filter_chains[" + i + "]";
      MtlsMode mode = mode(chain, at);
      if (chain.hasFilterChainMatch() && chain.getFilterChainMatch().hasDestinationPort()) {
        int port = chain.getFilterChainMatch().getDestinationPort().getValue();
        if (port < 1 || port > 65535) {
          throw new IllegalArgumentException(at + ".filter_chain_match.destination_port: " + port
              + " (expected: 1..65535)");
        }
        MtlsMode before = ports.put(port, mode);
        if (before != null && before != mode) {
          throw new IllegalArgumentException(at + ": port " + port + " is " + mode
              + " here and " + before + " in an earlier chain (expected: one mode per port)");
        }
      } else {
        if (defaultMode != null && defaultMode != mode) {
          throw new IllegalArgumentException(at + ": workload mode " + mode + " here and "
              + defaultMode + " in an earlier chain without a port (expected: one)");
        }
        defaultMode = mode;
      }
    }
    return new InboundMtlsPolicy(defaultMode != null ? defaultMode : MtlsMode.PERMISSIVE, ports);
  }

  /**
   * The security policies {@code listener} carries, as written.
   *
   * @throws IllegalArgumentException when the metadata is not of {@link SecurityPolicyWire}'s
   *     shape
   */
  public static Access access(Listener listener) {
    Struct ours = listener.getMetadata().getFilterMetadataMap().get(MeshXdsNames.METADATA_FILTER);
    if (ours == null) {
      return Access.NONE;
    }
    String at = "listener '" + listener.getName() + "' metadata.filter_metadata['"
        + MeshXdsNames.METADATA_FILTER + "'].";
    try {
      return new Access(SecurityPolicyWire.authorizationPolicies(ours),
          SecurityPolicyWire.requestAuthentications(ours));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(at + e.getMessage(), e);
    }
  }

  /**
   * The telemetry policy {@code listener} carries, compiled; {@link TelemetryPolicy#DEFAULT}
   * when it carries no Telemetry.
   *
   * @throws IllegalArgumentException when the metadata is not of {@link TelemetryWire}'s shape
   *     or a Telemetry does not compile (naming the resource and field)
   */
  public static TelemetryPolicy telemetry(Listener listener) {
    Struct ours = listener.getMetadata().getFilterMetadataMap().get(MeshXdsNames.METADATA_FILTER);
    if (ours == null) {
      return TelemetryPolicy.DEFAULT;
    }
    String at = "listener '" + listener.getName() + "' metadata.filter_metadata['"
        + MeshXdsNames.METADATA_FILTER + "'].";
    try {
      return TelemetryPolicy.compile(TelemetryWire.telemetry(ours),
          TelemetryWire.exporters(ours));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(at + e.getMessage(), e);
    }
  }

  /** Why {@code listener} cannot be read, or {@code null} when it can. */
  public static String problem(Listener listener) {
    try {
      fromListener(listener);
      Access access = access(listener);
      AccessPolicy.compile(access.authorizationPolicies(), access.requestAuthentications());
      telemetry(listener);
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  /** The AuthorizationPolicies and RequestAuthentications a listener carries, as written. */
  public record Access(List<PolicySource> authorizationPolicies,
      List<PolicySource> requestAuthentications) {
    /** None. */
    public static final Access NONE = new Access(List.of(), List.of());

    public Access {
      authorizationPolicies = List.copyOf(authorizationPolicies);
      requestAuthentications = List.copyOf(requestAuthentications);
    }
  }

  private static MtlsMode mode(FilterChain chain, String at) {
    String field = at + ".metadata.filter_metadata['" + MeshXdsNames.METADATA_FILTER + "']."
        + MeshXdsNames.MTLS_MODE;
    Struct ours = chain.getMetadata().getFilterMetadataMap().get(MeshXdsNames.METADATA_FILTER);
    Value v = ours == null ? null : ours.getFieldsMap().get(MeshXdsNames.MTLS_MODE);
    if (v == null || !v.hasStringValue()) {
      throw new IllegalArgumentException(field + ": " + (v == null ? "missing" : v.toString().trim())
          + " (expected: a string, one of " + Arrays.toString(MtlsMode.values()) + ")");
    }
    try {
      return MtlsMode.valueOf(v.getStringValue());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(field + ": '" + v.getStringValue() + "' (expected: one of "
          + Arrays.toString(MtlsMode.values()) + ")", e);
    }
  }
}
