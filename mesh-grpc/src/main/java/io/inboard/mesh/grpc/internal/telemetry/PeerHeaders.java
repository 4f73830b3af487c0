package io.inboard.mesh.grpc.internal.telemetry;

import io.grpc.Metadata;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.internal.InternalMesh;
import io.inboard.mesh.api.internal.telemetry.EnvoyPeerMetadata;
import io.inboard.mesh.api.internal.telemetry.PeerIdentity;
import io.inboard.mesh.grpc.internal.metadata.MetadataKeys;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The headers that say who is at each end of a call: Inboard's {@value PeerIdentity#HEADER}
 * and Istio's {@value EnvoyPeerMetadata#HEADER} / {@value EnvoyPeerMetadata#ID_HEADER}, so that
 * Envoy sidecars read Inboard and Inboard reads them. A client sends them on each call, a
 * server answers with them. The values are made once per workload, on first use; when the
 * Envoy encoding is not available the Envoy headers are left out (Inboard's header still goes).
 */
public final class PeerHeaders {

  private static final Logger log = LoggerFactory.getLogger(PeerHeaders.class);

  static final Metadata.Key<String> INBOARD = MetadataKeys.of(PeerIdentity.HEADER);
  static final Metadata.Key<String> ENVOY = MetadataKeys.of(EnvoyPeerMetadata.HEADER);
  static final Metadata.Key<String> ENVOY_ID = MetadataKeys.of(EnvoyPeerMetadata.ID_HEADER);

  private static final Envoy NO_ENVOY = new Envoy(null, null);
  private static final InternalMesh.StateKey<PeerHeaders> KEY =
      InternalMesh.StateKey.of("mesh-grpc peer headers", PeerHeaders.class);

  private final PeerIdentity self;
  private final String inboard;
  private final String ip;
  private volatile Envoy envoy;

  private record Envoy(String metadata, String id) {}

  private PeerHeaders(PeerIdentity self, String ip) {
    this.self = self;
    this.inboard = self.toHeader();
    this.ip = ip;
  }

  /**
   * The headers of {@code mesh}'s workload, with its first instance IP in the node id: one per
   * mesh, shared by its channels and servers.
   *
   * @throws IllegalStateException if the mesh is closed
   */
  public static PeerHeaders of(Mesh mesh) {
    return InternalMesh.state(mesh, KEY, () -> {
      List<String> ips = mesh.settings().instanceIps();
      return new PeerHeaders(PeerIdentity.of(mesh), ips.isEmpty() ? "" : ips.get(0));
    });
  }

  /** This workload's identity. */
  public PeerIdentity self() {
    return self;
  }

  /** Puts this workload's headers on {@code headers}, replacing any already there. */
  public void put(Metadata headers) {
    headers.discardAll(INBOARD);
    headers.put(INBOARD, inboard);
    Envoy e = envoy();
    if (e != NO_ENVOY) {
      headers.discardAll(ENVOY);
      headers.put(ENVOY, e.metadata());
      headers.discardAll(ENVOY_ID);
      headers.put(ENVOY_ID, e.id());
    }
  }

  /**
   * The peer named by {@code headers}: Istio's header when present and readable, else
   * Inboard's, else {@link PeerIdentity#UNKNOWN}.
   */
  public static PeerIdentity read(Metadata headers) {
    String inboardHeader = headers.get(INBOARD);
    String envoyHeader = headers.get(ENVOY);
    if (envoyHeader == null) {
      return PeerIdentity.parse(inboardHeader);
    }
    try {
      return EnvoyPeerMetadata.read(envoyHeader, inboardHeader);
    } catch (RuntimeException notAvailable) {
      // the decoder is not there yet (or failed): Inboard's own header still says who it is
      return PeerIdentity.parse(inboardHeader);
    }
  }

  private Envoy envoy() {
    Envoy e = envoy;
    if (e == null) {
      e = encode(); // a race computes it twice, to the same value
      envoy = e;
    }
    return e;
  }

  private Envoy encode() {
    try {
      return new Envoy(EnvoyPeerMetadata.encode(self), EnvoyPeerMetadata.id(self, ip));
    } catch (UnsupportedOperationException notYet) {
      return NO_ENVOY;
    } catch (RuntimeException e) {
      log.warn("x-envoy-peer-metadata for workload '{}' could not be made; calls carry"
          + " x-inboard-peer only", self.workload(), e);
      return NO_ENVOY;
    }
  }
}
