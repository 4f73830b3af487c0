package io.inboard.mesh.security.internal.inbound;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * The mTLS mode of each of a workload's ports: the workload's mode, and per-port overrides
 * (PeerAuthentication {@code portLevelMtls}, keyed by the workload's own port).
 */
public record InboundMtlsPolicy(MtlsMode defaultMode, Map<Integer, MtlsMode> ports) {

  /** What applies with no PeerAuthentication at all, as in Istio: PERMISSIVE everywhere. */
  public static final InboundMtlsPolicy DEFAULT = new InboundMtlsPolicy(MtlsMode.PERMISSIVE,
      Map.of());

  public InboundMtlsPolicy {
    requireNonNull(defaultMode, "defaultMode");
    ports = Map.copyOf(ports);
  }

  /** The mode of workload port {@code port}. */
  public MtlsMode mode(int port) {
    return ports.getOrDefault(port, defaultMode);
  }
}
