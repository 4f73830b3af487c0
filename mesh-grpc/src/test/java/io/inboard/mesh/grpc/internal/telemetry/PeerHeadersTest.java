package io.inboard.mesh.grpc.internal.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Metadata;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.discovery.StaticDiscovery;
import io.inboard.mesh.api.internal.telemetry.EnvoyPeerMetadata;
import io.inboard.mesh.api.internal.telemetry.PeerIdentity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The peer headers as gRPC metadata: Inboard's and Istio's, replaced and read back. */
class PeerHeadersTest {

  private final Mesh mesh = Mesh.builder().workloadName("reviews-v2").namespace("bookinfo")
      .label("app", "reviews").label("version", "v2").instanceIps("10.0.0.7")
      .discovery(new StaticDiscovery()).adminPort(-1).build();

  @AfterEach
  void close() {
    mesh.close();
  }

  @Test
  void put_replacesStaleValues_withInboardsAndIstiosHeaders() {
    Metadata headers = new Metadata();
    headers.put(PeerHeaders.INBOARD, "stale;value;from;app");

    PeerHeaders.of(mesh).put(headers);

    PeerIdentity self = PeerIdentity.of(mesh);
    assertThat(headers.getAll(PeerHeaders.INBOARD)).containsExactly(self.toHeader());
    assertThat(headers.getAll(PeerHeaders.ENVOY))
        .containsExactly(EnvoyPeerMetadata.encode(self));
    assertThat(headers.getAll(PeerHeaders.ENVOY_ID))
        .containsExactly(EnvoyPeerMetadata.id(self, "10.0.0.7"));
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
}
