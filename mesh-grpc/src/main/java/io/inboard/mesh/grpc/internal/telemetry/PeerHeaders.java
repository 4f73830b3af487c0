package io.inboard.mesh.grpc.internal.telemetry;

import io.grpc.Metadata;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.internal.InternalMesh;
import io.inboard.mesh.api.internal.telemetry.EnvoyPeerMetadata;
import io.inboard.mesh.api.internal.telemetry.LocalPeerHeaders;
import io.inboard.mesh.api.internal.telemetry.PeerIdentity;
import io.inboard.mesh.grpc.internal.metadata.MetadataKeys;

/**
 * The mesh's {@link LocalPeerHeaders} as gRPC metadata: a client puts them on each call, a
 * server answers with them, and each side reads the other's with {@link #read}.
 */
public final class PeerHeaders {

  static final Metadata.Key<String> INBOARD = MetadataKeys.of(PeerIdentity.HEADER);
  static final Metadata.Key<String> ENVOY = MetadataKeys.of(EnvoyPeerMetadata.HEADER);
  static final Metadata.Key<String> ENVOY_ID = MetadataKeys.of(EnvoyPeerMetadata.ID_HEADER);

  private final LocalPeerHeaders local;

  private PeerHeaders(LocalPeerHeaders local) {
    this.local = local;
  }

  /** The headers of {@code mesh}'s workload. */
  public static PeerHeaders of(Mesh mesh) {
    return new PeerHeaders(InternalMesh.peerHeaders(mesh));
  }

  /** This workload's identity. */
  public PeerIdentity self() {
    return local.self();
  }

  /** Puts this workload's headers on {@code headers}, replacing any already there. */
  public void put(Metadata headers) {
    put(headers, INBOARD, local.inboard());
    put(headers, ENVOY, local.envoyMetadata());
    put(headers, ENVOY_ID, local.envoyId());
  }

  /**
   * The peer named by {@code headers}: Istio's header when present and readable, else
   * Inboard's, else {@link PeerIdentity#UNKNOWN}.
   */
  public static PeerIdentity read(Metadata headers) {
    return EnvoyPeerMetadata.read(headers.get(ENVOY), headers.get(INBOARD));
  }

  private static void put(Metadata headers, Metadata.Key<String> key, String value) {
    headers.discardAll(key);
    headers.put(key, value);
  }
}
