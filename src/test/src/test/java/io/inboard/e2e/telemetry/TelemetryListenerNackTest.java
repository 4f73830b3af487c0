package io.inboard.e2e.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Struct;
import io.envoyproxy.controlplane.server.DiscoveryServerCallbacks;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.internal.InternalMesh;
import io.inboard.mesh.api.internal.MeshXdsNames;
import io.inboard.mesh.api.internal.telemetry.MeshTelemetry;
import io.inboard.mesh.api.internal.telemetry.policy.TelemetryPolicy;
import io.inboard.mesh.api.internal.telemetry.policy.TelemetrySource;
import io.inboard.mesh.controlplane.internal.ads.AdsServer;
import io.inboard.mesh.controlplane.internal.translate.XdsResources;
import io.inboard.mesh.security.internal.inbound.TelemetryWire;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A {@code virtualInbound} listener whose Telemetry does not compile (a control plane that did
 * not validate it) is NACKed whole, with the field named, and the workload keeps its last good
 * telemetry policy.
 */
class TelemetryListenerNackTest {
  static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void unreadableTelemetryIsNackedAndTheLastGoodPolicyStays() throws Exception {
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
      ads.publish(inbound(Map.of("tracing", List.of(Map.of("randomSamplingPercentage", 40)))));
      try (Mesh mesh = Mesh.builder().workloadName("reviews-v1").namespace("default")
          .instanceIps("127.0.0.1").controlPlane("127.0.0.1:" + ads.port()).build()) {
        MeshTelemetry telemetry = InternalMesh.telemetry(mesh);
        TelemetryPolicy good = await().atMost(WAIT).until(telemetry::policy,
            p -> p.server().tracing().samplingPercentage() == 40.0);

        ads.publish(inbound(Map.of("tracing", List.of(Map.of("randomSamplingPercentage", 400)))));
        await().atMost(WAIT).until(() -> nacks.stream().anyMatch(m -> m.contains(
            "Telemetry default/t: spec.tracing[0].randomSamplingPercentage: 400 (expected:"
                + " 0..100)")));
        assertThat(telemetry.policy()).isEqualTo(good);

        ads.publish(inbound(Map.of("tracing", List.of(Map.of("randomSamplingPercentage", 5)))));
        await().atMost(WAIT).until(telemetry::policy,
            p -> p.server().tracing().samplingPercentage() == 5.0);
      }
    }
  }

  private static XdsResources inbound(Map<String, Object> spec) {
    Struct ours = TelemetryWire.write(Struct.newBuilder(),
        List.of(new TelemetrySource("default", "t", spec)), List.of()).build();
    Listener l = Listener.newBuilder().setName(MeshXdsNames.VIRTUAL_INBOUND)
        .setMetadata(Metadata.newBuilder().putFilterMetadata(MeshXdsNames.METADATA_FILTER, ours))
        .build();
    return new XdsResources(List.of(l), List.of(), List.of(), List.of());
  }
}
