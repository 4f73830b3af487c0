package io.inboard.mesh.xds.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.inboard.mesh.api.Mesh;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class XdsNodeTest {

  @Test
  void announcesIdentityAndServedServiceUnderTheAgreedKeys() {
    try (Mesh mesh = Mesh.builder().workloadName("reviews-v2").namespace("bookinfo")
        .label("app", "reviews").label("version", "v2").serviceAccount("bookinfo-reviews")
        .instanceIps("10.0.0.7", "10.0.0.8").serves("reviews", Map.of("grpc", 9080))
        .controlPlane("127.0.0.1:15010").build()) {

      assertThat(XdsNode.id(mesh.settings())).isEqualTo("reviews-v2~10.0.0.7~bookinfo");
      assertThat(XdsNode.metadata(mesh.settings())).containsExactlyInAnyOrderEntriesOf(Map.of(
          "NAMESPACE", "bookinfo",
          "WORKLOAD_NAME", "reviews-v2",
          "SERVICE_ACCOUNT", "bookinfo-reviews",
          "LABELS", Map.of("app", "reviews", "version", "v2"),
          "INSTANCE_IPS", "10.0.0.7,10.0.0.8",
          "INBOARD_SERVICE", "reviews",
          "INBOARD_PORTS", Map.of("grpc", "9080")));
    }
  }

  @Test
  void pureClientAnnouncesNoService() {
    try (Mesh mesh = Mesh.builder().workloadName("productpage-v1").namespace("default")
        .instanceIps().controlPlane("127.0.0.1:15010").build()) {

      assertThat(XdsNode.id(mesh.settings())).isEqualTo("productpage-v1~0.0.0.0~default");
      assertThat(XdsNode.metadata(mesh.settings()))
          .doesNotContainKeys("INBOARD_SERVICE", "INBOARD_PORTS", "INSTANCE_IPS");
    }
  }

  @Test
  void workloadWithIdentity_announcesTlsModeIstio_keepingALabelTheAppSet(@TempDir Path dir)
      throws Exception {
    Path token = Files.writeString(dir.resolve("token"), "t");
    Path roots = Files.writeString(dir.resolve("root-cert.pem"), "not read here");
    try (Mesh mesh = Mesh.builder().workloadName("reviews-v2").namespace("default")
        .label("app", "reviews").identityTokenFile(token).caRootCertFile(roots)
        .controlPlane("127.0.0.1:15010").build()) {

      assertThat(mesh.settings().identity()).get()
          .extracting(i -> i.caAddress()).isEqualTo("127.0.0.1:15012");
      assertThat(XdsNode.metadata(mesh.settings())).containsEntry("LABELS",
          Map.of("app", "reviews", "security.istio.io/tlsMode", "istio"));
      assertThat(mesh.settings().labels()).doesNotContainKey("security.istio.io/tlsMode");
    }
    try (Mesh mesh = Mesh.builder().workloadName("reviews-v2").namespace("default")
        .label("security.istio.io/tlsMode", "disabled").identityTokenFile(token)
        .caRootCertFile(roots).controlPlane("127.0.0.1:15010").build()) {

      assertThat(XdsNode.metadata(mesh.settings())).containsEntry("LABELS",
          Map.of("security.istio.io/tlsMode", "disabled"));
    }
  }

  @Test
  void workloadWithoutIdentity_announcesNoTlsMode() {
    try (Mesh mesh = Mesh.builder().workloadName("reviews-v2").namespace("default")
        .label("app", "reviews").mtls(false).controlPlane("127.0.0.1:15010").build()) {

      assertThat(XdsNode.metadata(mesh.settings())).containsEntry("LABELS",
          Map.of("app", "reviews"));
    }
  }

  @Test
  void adminAddress_onEveryInterface_isAnnouncedAtTheFirstInstanceIp() {
    try (Mesh mesh = Mesh.builder().workloadName("reviews-v2").namespace("default")
        .instanceIps("10.0.0.7", "10.0.0.8").controlPlane("127.0.0.1:15010").build()) {

      assertThat(XdsNode.adminAddress(mesh.settings(), new InetSocketAddress(15020)))
          .isEqualTo("10.0.0.7:15020");
      assertThat(XdsNode.adminAddress(mesh.settings(),
          new InetSocketAddress("127.0.0.3", 41000))).isEqualTo("127.0.0.3:41000");
    }
    try (Mesh mesh = Mesh.builder().workloadName("reviews-v2").namespace("default")
        .instanceIps("fd00::7").controlPlane("127.0.0.1:15010").build()) {

      assertThat(XdsNode.adminAddress(mesh.settings(), new InetSocketAddress(15020)))
          .isEqualTo("[fd00::7]:15020");
    }
    try (Mesh mesh = Mesh.builder().workloadName("client").namespace("default").instanceIps()
        .controlPlane("127.0.0.1:15010").build()) {

      assertThat(XdsNode.adminAddress(mesh.settings(), new InetSocketAddress(15020)))
          .isEqualTo("127.0.0.1:15020");
    }
  }

  @Test
  void meshWithoutAdminServer_announcesNoAdminAddress() {
    // mesh-telemetry is not on this module's class path: no admin server runs
    try (Mesh mesh = Mesh.builder().workloadName("reviews-v2").namespace("default")
        .instanceIps("10.0.0.7").controlPlane("127.0.0.1:15010").build()) {

      assertThat(mesh.adminAddress()).isEmpty();
      assertThat(XdsNode.metadata(mesh)).doesNotContainKey("INBOARD_ADMIN_ADDRESS")
          .containsEntry("WORKLOAD_NAME", "reviews-v2");
    }
  }
}
