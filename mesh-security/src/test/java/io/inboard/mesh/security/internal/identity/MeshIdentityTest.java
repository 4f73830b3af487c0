package io.inboard.mesh.security.internal.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.MeshBuilder;
import io.inboard.mesh.api.discovery.StaticDiscovery;
import io.inboard.mesh.security.SpiffeId;
import io.inboard.mesh.security.internal.pki.InMemoryAuthority;
import io.inboard.mesh.security.internal.pki.Pem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A mesh's identity from its settings, through {@link MeshIdentity} and the start hook. */
class MeshIdentityTest {
  private static final SpiffeId ID = SpiffeId.of("cluster.local", "default", "bookinfo-ratings");

  @TempDir Path dir;
  private TestCa ca;

  @BeforeEach
  void startCa() throws Exception {
    ca = new TestCa(ID).start();
  }

  @AfterEach
  void stopCa() throws Exception {
    ca.close();
  }

  private MeshBuilder mesh() throws Exception {
    return Mesh.builder().workloadName("ratings-v1").namespace("default")
        .serviceAccount("bookinfo-ratings").discovery(new StaticDiscovery())
        .caAddress(ca.address())
        .identityTokenFile(Files.writeString(dir.resolve("token"), "ratings-token"))
        .caRootCertFile(Files.writeString(dir.resolve("root-cert.pem"), Pem.encode(ca.root())))
        .certificateLifetime(Duration.ofMinutes(10));
  }

  @Test
  void build_fetchesTheFirstCertificate_andCloseStopsTheIdentity() throws Exception {
    WorkloadIdentity identity;
    try (Mesh mesh = mesh().build()) {
      identity = MeshIdentity.of(mesh).orElseThrow();

      assertThat(identity.id()).isEqualTo(ID);
      assertThat(identity.current()).get().extracting(IdentityMaterial::leaf)
          .isEqualTo(ca.issued.get(0));
      assertThat(ca.requests.get(0).getValidityDuration()).isEqualTo(600);
    }
    assertThat(((CaIdentity) identity).isClosed()).isTrue();
  }

  @Test
  void build_withTheCaDown_returnsAfterTheInitialTimeout_andTheCertificateComesLater()
      throws Exception {
    ca.stop();
    try (Mesh mesh = mesh().initialConfigTimeout(Duration.ofMillis(500)).build()) {
      WorkloadIdentity identity = MeshIdentity.of(mesh).orElseThrow();
      assertThat(identity.current()).isEmpty();

      ca.start();
      await().atMost(Duration.ofSeconds(20)).until(() -> identity.current().isPresent());
    }
  }

  @Test
  void mtlsOff_meansNoIdentity() throws Exception {
    try (Mesh mesh = mesh().mtls(false).build()) {
      assertThat(mesh.settings().identity()).isEmpty();
      assertThat(MeshIdentity.of(mesh)).isEmpty();
    }
    assertThat(ca.requests).isEmpty();
  }

  @Test
  void installedIdentity_isTheMeshsIdentity() throws Exception {
    try (Mesh mesh = Mesh.builder().workloadName("ratings-v1").namespace("default")
        .discovery(new StaticDiscovery()).build()) {
      InMemoryIdentity mine = new InMemoryIdentity(ID);
      mine.update(InMemoryAuthority.create("own").issue(ID, Duration.ofHours(1)));
      MeshIdentity.install(mesh, mine);

      assertThat(MeshIdentity.of(mesh)).containsSame(mine);
    }
  }
}
