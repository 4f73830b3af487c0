package io.inboard.mesh.controlplane.ca;

import static org.assertj.core.api.Assertions.assertThat;

import io.inboard.mesh.controlplane.ControlPlane;
import io.inboard.mesh.controlplane.cli.InboardCtl;
import io.inboard.mesh.security.SpiffeId;
import io.inboard.mesh.security.internal.pki.KeyAlgorithm;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code inboardctl credential}: minted before the control plane starts, accepted by it. */
class CredentialCommandTest {
  @TempDir
  Path state;
  @TempDir
  Path out;

  @Test
  void mintsCredentialTheControlPlaneAccepts() throws Exception {
    Path file = out.resolve("reviews.token");
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int exit = InboardCtl.run(new String[] {"credential", "--state-dir", state.toString(),
        "--namespace", "default", "--service-account", "bookinfo-reviews", "--out",
        file.toString()}, System.in, new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(err, true, StandardCharsets.UTF_8));

    assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    try (ControlPlane cp = ControlPlane.builder().xdsPort(0).adminPort(-1).stateDirectory(state)
        .start(); CaClient c = CaClient.tls(cp.securePort(), cp.rootCertificates())) {
      X509Certificate leaf = c.sign(Files.readString(file).trim(),
          SpiffeId.of("cluster.local", "default", "other"), KeyAlgorithm.EC_P256, 0).get(0);
      assertThat(SpiffeId.fromCertificate(leaf))
          .contains(SpiffeId.of("cluster.local", "default", "bookinfo-reviews"));
    }
  }

  @Test
  void refusesAServiceAccountThatIsNoKubernetesName() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int exit = InboardCtl.run(new String[] {"credential", "--state-dir", state.toString(),
        "--service-account", "Not/A/Name"}, System.in, new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(err, true, StandardCharsets.UTF_8));

    assertThat(exit).isEqualTo(InboardCtl.USAGE);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("serviceAccount: 'Not/A/Name'");
  }
}
