package io.inboard.mesh.controlplane.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.inboard.mesh.controlplane.ControlPlane;
import io.inboard.mesh.security.SpiffeId;
import io.inboard.mesh.security.internal.pki.KeyAlgorithm;
import io.inboard.mesh.security.internal.pki.Pem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Root rotation: both roots trusted, then the new one signs, then the old one leaves. */
class RootRotationTest {
  static final SpiffeId ID = SpiffeId.of("cluster.local", "default", "rotating");

  @TempDir
  Path state;

  @Test
  void rotatesRootInThreeOverlapPhases() throws Exception {
    try (ControlPlane cp = ControlPlane.builder().xdsPort(0).adminPort(-1).stateDirectory(state)
        .start()) {
      X509Certificate old = cp.rootCertificates().get(0);
      String token = cp.issueLocalCredential("default", "rotating");

      X509Certificate next = cp.rotateRoot(Duration.ofSeconds(6));

      // phase 1: both trusted (bundle and file), the old root still signs
      assertThat(cp.rootCertificates()).containsExactly(old, next);
      assertThat(bundleFile(cp)).containsExactly(old, next);
      assertThat(signer(cp, token)).isEqualTo(old);
      // persisted at once
      assertThat(Pem.certificates(Files.readString(state.resolve("ca-cert.pem"))))
          .containsExactly(next);
      // phase 2: after half the overlap the new root signs, both still trusted
      await().atMost(Duration.ofSeconds(10)).until(() -> signer(cp, token).equals(next));
      // phase 3: after the overlap only the new root is trusted
      await().atMost(Duration.ofSeconds(10))
          .until(() -> cp.rootCertificates().equals(List.of(next)));
      assertThat(bundleFile(cp)).containsExactly(next);
    }
  }

  @Test
  void adminApiStartsARotation() throws Exception {
    try (ControlPlane cp = ControlPlane.builder().xdsPort(0).adminPort(0).start()) {
      X509Certificate old = cp.rootCertificates().get(0);
      var http = java.net.http.HttpClient.newHttpClient();
      var post = java.net.http.HttpRequest.newBuilder(java.net.URI.create(cp.adminUrl()
          + "/api/v1/ca/rotate-root?overlapSeconds=600"))
          .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build();

      var first = http.send(post, java.net.http.HttpResponse.BodyHandlers.ofString());
      var second = http.send(post, java.net.http.HttpResponse.BodyHandlers.ofString());

      assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
      assertThat(cp.rootCertificates()).hasSize(2).startsWith(old);
      assertThat(first.body()).contains("BEGIN CERTIFICATE");
      assertThat(second.statusCode()).isEqualTo(409);
      assertThat(second.body()).contains("a rotation is under way");
    }
  }

  @Test
  void rotateRootCommandStartsARotation() throws Exception {
    try (ControlPlane cp = ControlPlane.builder().xdsPort(0).adminPort(0).start()) {
      var out = new java.io.ByteArrayOutputStream();

      int exit = io.inboard.mesh.controlplane.cli.InboardCtl.run(new String[] {"rotate-root",
          "--overlap", "600", "--server", cp.adminUrl()}, System.in,
          new java.io.PrintStream(out, true), new java.io.PrintStream(out, true));

      assertThat(exit).as(out.toString()).isZero();
      assertThat(out.toString()).contains("root rotation started: overlap 600 s");
      assertThat(cp.rootCertificates()).hasSize(2);
    }
  }

  private static X509Certificate signer(ControlPlane cp, String token) throws Exception {
    // a client that trusts the bundle of the moment, as a workload re-reading the file does
    try (CaClient c = CaClient.tls(cp.securePort(), cp.rootCertificates())) {
      List<X509Certificate> chain = c.sign(token, ID, KeyAlgorithm.EC_P256, 60);
      return chain.get(chain.size() - 1);
    }
  }

  private static List<X509Certificate> bundleFile(ControlPlane cp) throws Exception {
    return Pem.certificates(Files.readString(cp.rootCertificateFile()));
  }
}
