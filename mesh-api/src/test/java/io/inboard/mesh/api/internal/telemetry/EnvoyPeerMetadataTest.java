package io.inboard.mesh.api.internal.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class EnvoyPeerMetadataTest {

  private final PeerIdentity reviews = new PeerIdentity("reviews-v2", "default", "reviews", "v2",
      "reviews", "v2", "Kubernetes");

  @Test
  void encodedIdentity_decodesToTheSameIdentity() {
    assertThat(EnvoyPeerMetadata.decode(EnvoyPeerMetadata.encode(reviews))).isEqualTo(reviews);
  }

  @Test
  void unknownFields_areLeftOut_andTheCanonicalServiceFallsBackToTheWorkload() {
    PeerIdentity bare = new PeerIdentity("job", "batch", null, null, null, null, null);
    assertThat(EnvoyPeerMetadata.decode(EnvoyPeerMetadata.encode(bare))).isEqualTo(
        new PeerIdentity("job", "batch", "unknown", "unknown", "job", "latest", "unknown"));
  }

  @Test
  void nodeId_followsIstiosSidecarForm() {
    assertThat(EnvoyPeerMetadata.id(reviews, "10.0.0.7"))
        .isEqualTo("sidecar~10.0.0.7~reviews-v2.default~default.svc.cluster.local");
  }

  @Test
  void garbage_readsAsUnknownWithoutThrowing() {
    assertThat(EnvoyPeerMetadata.decode(null)).isEqualTo(PeerIdentity.UNKNOWN);
    assertThat(EnvoyPeerMetadata.decode("not base64 !")).isEqualTo(PeerIdentity.UNKNOWN);
    assertThat(EnvoyPeerMetadata.decode(Base64.getEncoder().encodeToString(new byte[] {10, 99})))
        .isEqualTo(PeerIdentity.UNKNOWN);
    assertThat(EnvoyPeerMetadata.decode(Base64.getEncoder().encodeToString(new byte[] {0x7f})))
        .isEqualTo(PeerIdentity.UNKNOWN);
  }

  @Test
  void read_prefersIstiosHeaderAndFallsBackToInboards() {
    assertThat(EnvoyPeerMetadata.read(EnvoyPeerMetadata.encode(reviews), "a;b;c;d"))
        .isEqualTo(reviews);
    assertThat(EnvoyPeerMetadata.read(null, reviews.toHeader())).isEqualTo(reviews);
    assertThat(EnvoyPeerMetadata.read("%%%", null)).isEqualTo(PeerIdentity.UNKNOWN);
  }
}
