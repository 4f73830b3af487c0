package io.inboard.mesh.grpc.internal.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.InternalMetadata;
import io.grpc.Metadata;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.discovery.StaticDiscovery;
import io.inboard.mesh.api.internal.telemetry.EnvoyPeerMetadata;
import io.inboard.mesh.api.internal.telemetry.PeerIdentity;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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
  void put_preEncodedValues_goOnTheWireAsTheirStrings() {
    Metadata headers = new Metadata();
    PeerHeaders.of(mesh).put(headers);

    PeerIdentity self = PeerIdentity.of(mesh);
    assertThat(wire(headers)).containsExactly(
        PeerIdentity.HEADER + ": " + self.toHeader(),
        EnvoyPeerMetadata.HEADER + ": " + EnvoyPeerMetadata.encode(self),
        EnvoyPeerMetadata.ID_HEADER + ": " + EnvoyPeerMetadata.id(self, "10.0.0.7"));
  }

  @Test
  void put_twoMeshes_eachSendsItsOwnIdentity() {
    try (Mesh other = Mesh.builder().workloadName("ratings-v1").namespace("shop")
        .label("app", "ratings").label("version", "v1").instanceIps("10.0.0.9")
        .discovery(new StaticDiscovery()).adminPort(-1).build()) {
      Metadata mine = new Metadata();
      Metadata theirs = new Metadata();

      PeerHeaders.of(mesh).put(mine);
      PeerHeaders.of(other).put(theirs);

      assertThat(PeerHeaders.read(mine)).isEqualTo(PeerIdentity.of(mesh));
      assertThat(PeerHeaders.read(theirs)).isEqualTo(PeerIdentity.of(other));
      assertThat(theirs.get(PeerHeaders.ENVOY_ID)).contains("10.0.0.9").contains("shop");
    }
  }

  /** The headers as gRPC serializes them for the transport, {@code name: value}. */
  private static List<String> wire(Metadata headers) {
    byte[][] pairs = InternalMetadata.serialize(headers);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < pairs.length; i += 2) {
      lines.add(new String(pairs[i], StandardCharsets.US_ASCII) + ": "
          + new String(pairs[i + 1], StandardCharsets.US_ASCII));
    }
    return lines;
  }

  @Test
  void read_ofWhatPutWrote_isTheWorkload() {
    Metadata headers = new Metadata();
    PeerHeaders.of(mesh).put(headers);

    assertThat(PeerHeaders.read(headers)).isEqualTo(PeerIdentity.of(mesh));
  }

  @Test
  void read_manyPeersInTurn_eachReadAsItself_pastTheDecodedCache() {
    List<PeerIdentity> peers = new ArrayList<>();
    for (int i = 0; i < DecodedPeers.SLOTS + 3; i++) {
      peers.add(new PeerIdentity("reviews-v" + i, "ns" + i, "reviews", "v" + i, "reviews",
          "v" + i, "Kubernetes"));
    }
    for (int round = 0; round < 2; round++) {
      for (PeerIdentity p : peers) {
        Metadata headers = new Metadata();
        headers.put(PeerHeaders.ENVOY, EnvoyPeerMetadata.encode(p));

        assertThat(PeerHeaders.read(headers)).isEqualTo(p);
      }
    }
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
