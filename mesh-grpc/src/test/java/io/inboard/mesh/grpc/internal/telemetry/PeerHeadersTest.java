package io.inboard.mesh.grpc.internal.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Metadata;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.discovery.StaticDiscovery;
import io.inboard.mesh.api.internal.telemetry.EnvoyPeerMetadata;
import io.inboard.mesh.api.internal.telemetry.PeerIdentity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The peer headers, whether or not {@link EnvoyPeerMetadata}'s codec is available: Inboard's
 * header always goes and is always read; Istio's go exactly when they can be encoded.
 */
class PeerHeadersTest {

  private final Mesh mesh = Mesh.builder().workloadName("reviews-v2").namespace("bookinfo")
      .label("app", "reviews").label("version", "v2").instanceIps("10.0.0.7")
      .discovery(new StaticDiscovery()).adminPort(-1).build();

  @AfterEach
  void close() {
    mesh.close();
  }

  @Test
  void put_sendsInboardsHeader_andIstiosExactlyWhenTheyCanBeEncoded() {
    Metadata headers = new Metadata();
    headers.put(PeerHeaders.INBOARD, "stale;value;from;app");

    PeerHeaders.of(mesh).put(headers);

    PeerIdentity self = PeerIdentity.of(mesh);
    assertThat(headers.getAll(PeerHeaders.INBOARD)).containsExactly(self.toHeader());
    String encoded = encodedOrNull(self);
    if (encoded == null) {
      assertThat(headers.containsKey(PeerHeaders.ENVOY)).isFalse();
      assertThat(headers.containsKey(PeerHeaders.ENVOY_ID)).isFalse();
    } else {
      assertThat(headers.get(PeerHeaders.ENVOY)).isEqualTo(encoded);
      assertThat(headers.get(PeerHeaders.ENVOY_ID))
          .isEqualTo(EnvoyPeerMetadata.id(self, "10.0.0.7"));
    }
  }

  @Test
  void read_ofWhatPutWrote_isTheWorkload() {
    Metadata headers = new Metadata();
    PeerHeaders.of(mesh).put(headers);

    assertThat(PeerHeaders.read(headers)).isEqualTo(PeerIdentity.of(mesh));
  }

  @Test
  void read_unreadableIstioHeader_fallsBackToInboards() {
    Metadata headers = new Metadata();
    headers.put(PeerHeaders.ENVOY, "not a struct");
    headers.put(PeerHeaders.INBOARD, PeerIdentity.of(mesh).toHeader());

    assertThat(PeerHeaders.read(headers)).isEqualTo(PeerIdentity.of(mesh));
  }

  @Test
  void read_noHeaders_isUnknown() {
    assertThat(PeerHeaders.read(new Metadata())).isEqualTo(PeerIdentity.UNKNOWN);
  }

  private static String encodedOrNull(PeerIdentity self) {
    try {
      return EnvoyPeerMetadata.encode(self);
    } catch (UnsupportedOperationException notYet) {
      return null;
    }
  }
}
