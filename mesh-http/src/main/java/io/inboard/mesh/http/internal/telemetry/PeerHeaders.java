package io.inboard.mesh.http.internal.telemetry;

import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.internal.InternalMesh;
import io.inboard.mesh.api.internal.telemetry.EnvoyPeerMetadata;
import io.inboard.mesh.api.internal.telemetry.PeerIdentity;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * A workload's peer-metadata headers, made once per mesh: Inboard's {@code x-inboard-peer} and
 * Istio's {@code x-envoy-peer-metadata} / {@code x-envoy-peer-metadata-id}, so Envoy sidecars
 * read Inboard's identity and the reverse. Outbound calls send them, inbound hooks answer with
 * them; the peer's identity is read from the Envoy header first, then Inboard's. The Envoy pair
 * is made on first use and left out while its codec is unavailable.
 */
public final class PeerHeaders {

  private static final InternalMesh.StateKey<PeerHeaders> KEY =
      InternalMesh.StateKey.of("mesh-http peer headers", PeerHeaders.class);

  // One mesh per process is the common case: remembered here, calls skip the mesh's lock.
  private static volatile PeerHeaders last;

  private final Mesh mesh;
  private final PeerIdentity self;
  private final String inboard;
  private volatile String[] envoy; // {metadata, id}, or {} when unavailable; made lazily

  private PeerHeaders(Mesh mesh) {
    this.mesh = mesh;
    this.self = PeerIdentity.of(mesh);
    this.inboard = self.toHeader();
  }

  /** {@code mesh}'s headers. */
  public static PeerHeaders of(Mesh mesh) {
    PeerHeaders p = last;
    if (p != null && p.mesh == mesh) {
      return p;
    }
    try {
      p = InternalMesh.state(mesh, KEY, () -> new PeerHeaders(mesh));
    } catch (IllegalStateException closed) {
      return new PeerHeaders(mesh); // a late call on a closed mesh still says who it is
    }
    last = p;
    return p;
  }

  /** This workload's identity. */
  public PeerIdentity self() {
    return self;
  }

  /** This workload's {@value PeerIdentity#HEADER} value. */
  public String inboardHeader() {
    return inboard;
  }

  /** Hands each of this workload's peer headers to {@code sink}, Inboard's first. */
  public void forEach(BiConsumer<String, String> sink) {
    sink.accept(PeerIdentity.HEADER, inboard);
    String[] e = envoy();
    if (e.length == 2) {
      sink.accept(EnvoyPeerMetadata.HEADER, e[0]);
      sink.accept(EnvoyPeerMetadata.ID_HEADER, e[1]);
    }
  }

  private String[] envoy() {
    String[] e = envoy;
    if (e == null) {
      try {
        List<String> ips = mesh.settings().instanceIps();
        e = new String[] {EnvoyPeerMetadata.encode(self),
            EnvoyPeerMetadata.id(self, ips.isEmpty() ? "" : ips.get(0))};
      } catch (RuntimeException unavailable) {
        // the codec is still a stub, or failed: Inboard's own header goes alone
        e = new String[0];
      }
      envoy = e;
    }
    return e;
  }

  /**
   * The peer named by a request's or response's headers: {@code x-envoy-peer-metadata} when
   * readable, else {@code x-inboard-peer}, else {@link PeerIdentity#UNKNOWN}.
   */
  public static PeerIdentity read(String envoyHeader, String inboardHeader) {
    if (envoyHeader == null) {
      return PeerIdentity.parse(inboardHeader);
    }
    try {
      return EnvoyPeerMetadata.read(envoyHeader, inboardHeader);
    } catch (RuntimeException unavailable) {
      return PeerIdentity.parse(inboardHeader);
    }
  }
}
