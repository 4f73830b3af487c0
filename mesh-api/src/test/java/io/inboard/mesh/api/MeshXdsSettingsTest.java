package io.inboard.mesh.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inboard.mesh.api.discovery.EndpointListener;
import io.inboard.mesh.api.discovery.ServiceEndpoints;
import io.inboard.mesh.api.internal.InternalMesh;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class MeshXdsSettingsTest {

  @Test
  void controlPlaneSelectsXdsModeWithItsAddressesInOrder() {
    try (Mesh mesh = Mesh.builder().workloadName("w").namespace("ns")
        .controlPlane("cp-a:15010", "cp-b:15010").build()) {
      assertThat(mesh.settings().discoveryMode()).isEqualTo(DiscoveryMode.XDS);
      assertThat(mesh.settings().controlPlanes()).containsExactly("cp-a:15010", "cp-b:15010");
      assertThat(mesh.settings().initialConfigTimeout()).isEqualTo(Duration.ofSeconds(10));
      assertThat(mesh.settings().serves()).isEmpty();
    }
  }

  @Test
  void invalidXdsSettingsFailNamingFieldAndExpectation() {
    assertThatThrownBy(() -> Mesh.builder().controlPlane("127.0.0.1"))
        .hasMessage("controlPlane: '127.0.0.1' (expected: host:port, such as 127.0.0.1:15010)");
    assertThatThrownBy(() -> Mesh.builder().serves("reviews", Map.of("grpc", 0)))
        .hasMessage("serves.ports.grpc: 0 (expected: 1..65535)");
    assertThatThrownBy(() -> Mesh.builder().workloadName("w").namespace("ns")
        .discovery(DiscoveryMode.XDS).build())
        .hasMessageContaining("discovery: XDS with controlPlanes []");
    assertThatThrownBy(() -> Mesh.builder().workloadName("w").namespace("ns")
        .controlPlane("cp:15010").initialConfigTimeout(Duration.ZERO).build())
        .hasMessage("initialConfigTimeout: PT0S (expected: > 0)");
  }

  @Test
  void discoveryInXdsModeSaysEndpointsReachOnlyXdsClients() {
    try (Mesh mesh = Mesh.builder().workloadName("w").namespace("ns")
        .controlPlane("cp:15010").build()) {
      AtomicReference<ServiceUnavailableException> error = new AtomicReference<>();
      InternalMesh.discovery(mesh).subscribe(mesh.service("reviews"), new EndpointListener() {
        @Override
        public void onEndpoints(ServiceEndpoints endpoints) {}

        @Override
        public void onError(ServiceUnavailableException e) {
          error.set(e);
        }
      });
      assertThat(error.get()).hasMessageContaining("in XDS mode endpoints come from the control plane");
    }
  }
}
