package io.inboard.e2e.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Struct;
import com.google.protobuf.UInt32Value;
import com.google.protobuf.Value;
import io.envoyproxy.controlplane.server.DiscoveryServerCallbacks;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.internal.MeshXdsNames;
import io.inboard.mesh.controlplane.internal.ads.AdsServer;
import io.inboard.mesh.controlplane.internal.translate.XdsResources;
import io.inboard.mesh.controlplane.testing.ControlPlaneExtension;
import io.inboard.mesh.security.internal.inbound.InboundMtls;
import io.inboard.mesh.security.internal.inbound.InboundMtlsPolicy;
import io.inboard.mesh.security.internal.inbound.MtlsMode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A workload's inbound mTLS policy, watched over xDS: from Inboard's control plane, and from its
 * ADS server publishing hand-made {@code virtualInbound} listeners (as the PeerAuthentication
 * translation will).
 */
class InboundMtlsWatchTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @RegisterExtension
  static final ControlPlaneExtension cp = ControlPlaneExtension.builder().build();

  /** Without a virtualInbound the answer is grpc-xds's does-not-exist timer's, after 15 s. */
  @Test
  void controlPlane_givesAWorkloadWithoutPeerAuthenticationTheDefaultPolicy() throws Exception {
    Mesh mesh = cp.mesh("reviews-v1", b -> b.label("app", "reviews"));
    InboundMtls holder = InboundMtls.of(mesh);

    assertThat(holder.awaitFirstPolicy(WAIT)).isTrue();
    assertThat(holder.policy()).isEqualTo(InboundMtlsPolicy.DEFAULT);
  }

  @Test
  void publishedListener_isApplied_updated_andKeptWhenUnreadable()
      throws Exception {
    List<String> nacks = new CopyOnWriteArrayList<>();
    AdsServer ads = new AdsServer("127.0.0.1", 0, new DiscoveryServerCallbacks() {
      @Override
      public void onV3StreamRequest(long streamId, DiscoveryRequest request) {
        if (request.hasErrorDetail()) {
          nacks.add(request.getErrorDetail().getMessage());
        }
      }

      @Override
      public void onV3StreamDeltaRequest(long streamId, DeltaDiscoveryRequest request) {}
    });
    try (ads) {
      ads.publish(resources(chain(null, "STRICT"), chain(9080, "DISABLE")));
      try (Mesh mesh = Mesh.builder().workloadName("reviews-v1").namespace("default")
          .instanceIps("127.0.0.1").controlPlane("127.0.0.1:" + ads.port()).build()) {
        InboundMtls holder = InboundMtls.of(mesh);
        List<InboundMtlsPolicy> heard = new CopyOnWriteArrayList<>();
        holder.addListener(heard::add);

        InboundMtlsPolicy strict = new InboundMtlsPolicy(MtlsMode.STRICT,
            Map.of(9080, MtlsMode.DISABLE));
        await().atMost(WAIT).until(holder::policy, strict::equals);

        ads.publish(resources(chain(null, "PERMISSIVE"), chain(9443, "STRICT")));
        InboundMtlsPolicy permissive = new InboundMtlsPolicy(MtlsMode.PERMISSIVE,
            Map.of(9443, MtlsMode.STRICT));
        await().atMost(WAIT).until(holder::policy, permissive::equals);

        ads.publish(resources(chain(null, "MUTUAL")));
        await().atMost(WAIT).until(() -> nacks.stream().anyMatch(
            m -> m.contains("mtlsMode: 'MUTUAL' (expected: one of [STRICT, PERMISSIVE,")));
        assertThat(holder.policy()).isEqualTo(permissive);

        // (a listener removed from the snapshot is never pushed: the control plane's ADS cache
        // keeps a watch it cannot answer in full open, so the translator serves one per workload)
        ads.publish(resources(chain(null, "STRICT"), chain(9080, "DISABLE")));
        await().atMost(WAIT).until(holder::policy, strict::equals);
        assertThat(heard).containsExactly(strict, permissive, strict);
      }
    }
  }

  private static XdsResources resources(FilterChain... chains) {
    Listener l = Listener.newBuilder().setName(MeshXdsNames.VIRTUAL_INBOUND)
        .addAllFilterChains(List.of(chains)).build();
    return new XdsResources(List.of(l), List.of(), List.of(), List.of());
  }

  private static FilterChain chain(Integer port, String mode) {
    FilterChain.Builder b = FilterChain.newBuilder().setMetadata(Metadata.newBuilder()
        .putFilterMetadata(MeshXdsNames.METADATA_FILTER, Struct.newBuilder().putFields(
            MeshXdsNames.MTLS_MODE, Value.newBuilder().setStringValue(mode).build()).build()));
    if (port != null) {
      b.setFilterChainMatch(FilterChainMatch.newBuilder().setDestinationPort(
          UInt32Value.of(port)));
    }
    return b.build();
  }
}
