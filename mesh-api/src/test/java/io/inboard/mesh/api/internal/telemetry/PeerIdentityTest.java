package io.inboard.mesh.api.internal.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PeerIdentityTest {

  @Test
  void header_roundTripsEverySeriesLabel() {
    PeerIdentity p = new PeerIdentity("reviews-v2", "default", "reviews", "v2", "reviews", "v2",
        "Kubernetes");
    assertThat(p.toHeader()).isEqualTo("reviews-v2;default;reviews;v2;reviews;v2;Kubernetes");
    assertThat(PeerIdentity.parse(p.toHeader())).isEqualTo(p);
  }

  @Test
  void fourFieldHeader_derivesCanonicalServiceAndRevisionFromAppAndVersion() {
    assertThat(PeerIdentity.parse("reviews-v2;default;reviews;v2")).isEqualTo(
        new PeerIdentity("reviews-v2", "default", "reviews", "v2", "reviews", "v2", "unknown"));
  }

  @Test
  void malformedOrMissingHeader_readsAsUnknown() {
    assertThat(PeerIdentity.parse(null)).isEqualTo(PeerIdentity.UNKNOWN);
    assertThat(PeerIdentity.parse("a;b")).isEqualTo(PeerIdentity.UNKNOWN);
    assertThat(PeerIdentity.UNKNOWN.canonicalRevision()).isEqualTo("latest");
    assertThat(PeerIdentity.parse("w;ns;;")).isEqualTo(
        new PeerIdentity("w", "ns", "unknown", "unknown", "w", "latest", "unknown"));
  }
}
