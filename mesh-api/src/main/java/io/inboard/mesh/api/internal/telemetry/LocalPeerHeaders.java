package io.inboard.mesh.api.internal.telemetry;

import static java.util.Objects.requireNonNull;

import java.util.function.BiConsumer;

/**
 * The headers that say who a workload is, made once per mesh (see
 * {@code InternalMesh.peerHeaders}): Inboard's {@value PeerIdentity#HEADER} and Istio's
 * {@value EnvoyPeerMetadata#HEADER} / {@value EnvoyPeerMetadata#ID_HEADER}, so Envoy sidecars
 * and Inboard read each other. Clients send them on every call and servers answer with them;
 * the other side reads them with {@link EnvoyPeerMetadata#read}.
 *
 * @param self the workload's identity
 * @param inboard its {@value PeerIdentity#HEADER} value
 * @param envoyMetadata its {@value EnvoyPeerMetadata#HEADER} value
 * @param envoyId its {@value EnvoyPeerMetadata#ID_HEADER} value
 */
public record LocalPeerHeaders(PeerIdentity self, String inboard, String envoyMetadata,
    String envoyId) {

  public LocalPeerHeaders {
    requireNonNull(self, "self");
    requireNonNull(inboard, "inboard");
    requireNonNull(envoyMetadata, "envoyMetadata");
    requireNonNull(envoyId, "envoyId");
  }

  /** The headers of {@code self}, whose node id carries {@code ip} ({@code ""} if none). */
  public static LocalPeerHeaders of(PeerIdentity self, String ip) {
    return new LocalPeerHeaders(self, self.toHeader(), EnvoyPeerMetadata.encode(self),
        EnvoyPeerMetadata.id(self, ip));
  }

  /** Hands each header to {@code sink}, Inboard's first. */
  public void forEach(BiConsumer<String, String> sink) {
    sink.accept(PeerIdentity.HEADER, inboard);
    sink.accept(EnvoyPeerMetadata.HEADER, envoyMetadata);
    sink.accept(EnvoyPeerMetadata.ID_HEADER, envoyId);
  }
}
