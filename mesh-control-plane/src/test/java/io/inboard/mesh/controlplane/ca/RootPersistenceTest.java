package io.inboard.mesh.controlplane.ca;

import static org.assertj.core.api.Assertions.assertThat;

import io.inboard.mesh.controlplane.ControlPlane;
import io.inboard.mesh.security.SpiffeId;
import io.inboard.mesh.security.internal.pki.KeyAlgorithm;
import io.inboard.mesh.security.internal.pki.Pem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Local mode's state directory: the root and the credential key survive a restart. */
class RootPersistenceTest {
  @TempDir
  Path state;

  @Test
  void reusesRootAndCredentialsAcrossRestart() throws Exception {
    X509Certificate first;
    String credential;
    try (ControlPlane cp = start()) {
      first = cp.rootCertificates().get(0);
      credential = cp.issueLocalCredential("default", "bookinfo-details");
    }

    try (ControlPlane cp = start(); CaClient c = CaClient.tls(cp.securePort(),
        cp.rootCertificates())) {
      assertThat(cp.rootCertificates()).containsExactly(first);
      X509Certificate leaf = c.sign(credential,
          SpiffeId.of("cluster.local", "default", "bookinfo-details"), KeyAlgorithm.EC_P256, 0)
          .get(0);
      leaf.verify(first.getPublicKey());
    }
  }

  @Test
  void keepsKeysPrivateAndWritesTheBundleFile() throws Exception {
    try (ControlPlane cp = start()) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
          state.resolve("ca-key.pem")))).isEqualTo("rw-------");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
          state.resolve("local-credential.key")))).isEqualTo("rw-------");
      assertThat(cp.rootCertificateFile()).isEqualTo(state.resolve("root-cert.pem"));
      assertThat(Pem.certificates(Files.readString(cp.rootCertificateFile())))
          .containsExactlyElementsOf(cp.rootCertificates());
    }
  }

  private ControlPlane start() throws Exception {
    return ControlPlane.builder().xdsPort(0).adminPort(-1).stateDirectory(state).start();
  }
}
