package io.inboard.mesh.api.internal.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PeerIdentityTest {

  @Test
  void header_roundTrips() {
    PeerIdentity p = new PeerIdentity("reviews-v2", "default", "reviews", "v2");
    assertThat(p.toHeader()).isEqualTo("reviews-v2;default;reviews;v2");
    assertThat(PeerIdentity.parse(p.toHeader())).isEqualTo(p);
  }

  @Test
  void malformedOrMissingHeader_readsAsUnknown() {
    assertThat(PeerIdentity.parse(null)).isEqualTo(PeerIdentity.UNKNOWN);
    assertThat(PeerIdentity.parse("a;b")).isEqualTo(PeerIdentity.UNKNOWN);
    assertThat(PeerIdentity.parse("w;ns;;")).isEqualTo(
        new PeerIdentity("w", "ns", "unknown", "unknown"));
  }
}
