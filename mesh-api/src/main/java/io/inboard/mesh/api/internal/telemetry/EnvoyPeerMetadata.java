package io.inboard.mesh.api.internal.telemetry;

/**
 * Istio's peer-metadata exchange headers, so that Envoy sidecars and Inboard read each other's
 * workload labels: {@value #HEADER} is a base64 protobuf {@code google.protobuf.Struct} with
 * Istio's node-metadata keys ({@code NAME}, {@code NAMESPACE}, {@code WORKLOAD_NAME},
 * {@code CLUSTER_ID}, {@code LABELS} with {@code app}, {@code version},
 * {@code service.istio.io/canonical-name}, {@code service.istio.io/canonical-revision}), and
 * {@value #ID_HEADER} the node id. Every outbound call sends the caller's, every inbound hook
 * answers with the server's; values are computed once per workload.
 */
public final class EnvoyPeerMetadata {

  /** The metadata header. */
  public static final String HEADER = "x-envoy-peer-metadata";

  /** The node-id header. */
  public static final String ID_HEADER = "x-envoy-peer-metadata-id";

  private EnvoyPeerMetadata() {}

  /** {@code identity} as a {@value #HEADER} value. */
  public static String encode(PeerIdentity identity) {
    throw new UnsupportedOperationException("CONTRACT STUB");
  }

  /** {@code identity}'s node id as Istio writes it: {@code sidecar~<ip>~<workload>.<ns>~<ns>.svc.cluster.local}. */
  public static String id(PeerIdentity identity, String ip) {
    throw new UnsupportedOperationException("CONTRACT STUB");
  }

  /**
   * The identity a {@value #HEADER} value states; {@link PeerIdentity#UNKNOWN} for {@code null}
   * or a value that is not such a Struct (never throws).
   */
  public static PeerIdentity decode(String header) {
    throw new UnsupportedOperationException("CONTRACT STUB");
  }

  /**
   * The peer named by the headers of a request or response: {@value #HEADER} when present and
   * readable, else Inboard's {@link PeerIdentity#HEADER}, else {@link PeerIdentity#UNKNOWN}.
   */
  public static PeerIdentity read(String envoyHeader, String inboardHeader) {
    PeerIdentity p = envoyHeader == null ? PeerIdentity.UNKNOWN : decode(envoyHeader);
    return p != PeerIdentity.UNKNOWN ? p : PeerIdentity.parse(inboardHeader);
  }
}
