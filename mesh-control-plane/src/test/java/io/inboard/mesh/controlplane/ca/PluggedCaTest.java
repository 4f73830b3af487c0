package io.inboard.mesh.controlplane.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inboard.mesh.controlplane.ControlPlane;
import io.inboard.mesh.security.SpiffeId;
import io.inboard.mesh.security.internal.pki.Certificates;
import io.inboard.mesh.security.internal.pki.KeyAlgorithm;
import io.inboard.mesh.security.internal.pki.Pem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A CA plugged in as Istio's cacerts: leaves signed by the intermediate, checked on start. */
class PluggedCaTest {
  @TempDir
  Path cacerts;

  final KeyPair rootKeys = KeyAlgorithm.RSA_2048.generate();
  final X509Certificate root =
      Certificates.selfSignedRoot(rootKeys, "Example Root", Duration.ofDays(365));
  final KeyPair intermediateKeys = KeyAlgorithm.EC_P256.generate();
  final X509Certificate intermediate = Certificates.intermediate(intermediateKeys.getPublic(),
      "Example Intermediate", Duration.ofDays(30), root, rootKeys.getPrivate());

  @Test
  void signsWithThePluggedIntermediateAndSendsTheWholeChain() throws Exception {
    write(intermediateKeys, intermediate, root, List.of(intermediate, root));

    try (ControlPlane cp = start(); CaClient c = CaClient.tls(cp.securePort(),
        cp.rootCertificates())) {
      List<X509Certificate> chain = c.sign(cp.issueLocalCredential("default", "a"),
          SpiffeId.of("cluster.local", "default", "a"), KeyAlgorithm.EC_P256, 0);

      assertThat(cp.rootCertificates()).containsExactly(root);
      assertThat(chain).hasSize(3);
      assertThat(chain.subList(1, 3)).containsExactly(intermediate, root);
      chain.get(0).verify(intermediate.getPublicKey());
    }
  }

  @Test
  void refusesKeyThatDoesNotMatchTheCertificate() throws Exception {
    write(KeyAlgorithm.EC_P256.generate(), intermediate, root, List.of(intermediate, root));

    assertThatThrownBy(this::start).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ca-key.pem does not match ca-cert.pem");
  }

  @Test
  void refusesChainThatDoesNotLeadToTheRoot() throws Exception {
    X509Certificate otherRoot = Certificates.selfSignedRoot(KeyAlgorithm.EC_P256.generate(),
        "Other Root", Duration.ofDays(365));
    write(intermediateKeys, intermediate, otherRoot, List.of(intermediate));

    assertThatThrownBy(this::start).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not signed by O=Other Root");
  }

  @Test
  void refusesMissingFile() throws Exception {
    write(intermediateKeys, intermediate, root, List.of(intermediate, root));
    Files.delete(cacerts.resolve("cert-chain.pem"));

    assertThatThrownBy(this::start).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cert-chain.pem missing");
  }

  private ControlPlane start() throws Exception {
    return ControlPlane.builder().xdsPort(0).adminPort(-1).cacertsDirectory(cacerts).start();
  }

  private void write(KeyPair keys, X509Certificate cert, X509Certificate rootCert,
      List<X509Certificate> chain) throws Exception {
    Files.writeString(cacerts.resolve("ca-key.pem"), Pem.encode(keys.getPrivate()));
    Files.writeString(cacerts.resolve("ca-cert.pem"), Pem.encode(cert));
    Files.writeString(cacerts.resolve("root-cert.pem"), Pem.encode(rootCert));
    Files.writeString(cacerts.resolve("cert-chain.pem"), Pem.encode(chain));
  }
}
