package io.inboard.mesh.controlplane.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.inboard.mesh.controlplane.CaKeyType;
import io.inboard.mesh.controlplane.ControlPlane;
import io.inboard.mesh.security.SpiffeId;
import io.inboard.mesh.security.internal.pki.Csrs;
import io.inboard.mesh.security.internal.pki.KeyAlgorithm;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The CA in local mode over real gRPC on loopback: credentials, leaf profile, refusals. */
class LocalCaTest {
  static final SpiffeId REVIEWS = SpiffeId.of("cluster.local", "default", "bookinfo-reviews");

  @TempDir
  static Path state;
  static ControlPlane cp;
  static CaClient client;
  static String reviews;

  @BeforeAll
  static void start() throws Exception {
    cp = ControlPlane.builder().xdsPort(0).adminPort(-1).stateDirectory(state).start();
    client = CaClient.tls(cp.securePort(), cp.rootCertificates());
    reviews = cp.issueLocalCredential("default", "bookinfo-reviews");
  }

  @AfterAll
  static void stop() {
    client.close();
    cp.close();
  }

  @ParameterizedTest
  @EnumSource(KeyAlgorithm.class)
  void issuesLeafWithIstioProfileForEachKeyType(KeyAlgorithm workloadKey) throws Exception {
    List<X509Certificate> chain = client.sign(reviews, REVIEWS, workloadKey, 0);

    X509Certificate leaf = chain.get(0);
    assertThat(chain).hasSize(2);
    assertThat(chain.get(1)).isEqualTo(cp.rootCertificates().get(0));
    leaf.verify(chain.get(1).getPublicKey());
    assertThat(leaf.getPublicKey().getAlgorithm()).isEqualTo(workloadKey == KeyAlgorithm.EC_P256
        ? "EC" : "RSA");
    assertThat(leaf.getSubjectAlternativeNames()).containsExactly(
        List.of(6, "spiffe://cluster.local/ns/default/sa/bookinfo-reviews"));
    assertThat(leaf.getSubjectX500Principal().getName()).isEmpty();
    assertThat(leaf.getKeyUsage()).startsWith(true, false, true); // digitalSignature, keyEnc.
    assertThat(leaf.getExtendedKeyUsage()).containsExactlyInAnyOrder(
        "1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
    assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
    assertThat(leaf.getNotBefore().toInstant()).isBefore(Instant.now().minusSeconds(60));
    // no lifetime asked: the default 24 h (tolerance: the 2 min backdate and the test's time)
    assertThat(Duration.between(Instant.now(), leaf.getNotAfter().toInstant()))
        .isBetween(Duration.ofHours(24).minusMinutes(1), Duration.ofHours(24));
  }

  @Test
  void ignoresTheSansTheCsrAsksFor() throws Exception {
    SpiffeId admin = SpiffeId.of("evil.example", "istio-system", "admin");

    X509Certificate leaf = client.sign(reviews, admin, KeyAlgorithm.EC_P256, 0).get(0);

    assertThat(SpiffeId.fromCertificate(leaf)).contains(REVIEWS);
    assertThat(leaf.getSubjectAlternativeNames()).hasSize(1);
  }

  @Test
  void issuesForTheCredentialsServiceAccountOnly() throws Exception {
    String ratings = cp.issueLocalCredential("default", "bookinfo-ratings");

    X509Certificate leaf = client.sign(ratings, REVIEWS, KeyAlgorithm.EC_P256, 0).get(0);

    assertThat(SpiffeId.fromCertificate(leaf))
        .contains(SpiffeId.of("cluster.local", "default", "bookinfo-ratings"));
  }

  @Test
  void issuesLifetimesOfSeconds() throws Exception {
    X509Certificate leaf = client.sign(reviews, REVIEWS, KeyAlgorithm.EC_P256, 2).get(0);

    assertThat(Duration.between(Instant.now(), leaf.getNotAfter().toInstant()))
        .isBetween(Duration.ZERO, Duration.ofSeconds(2));
  }

  @Test
  void refusesLifetimeAboveTheMaximum() {
    long tooLong = Duration.ofDays(91).toSeconds();

    assertThatThrownBy(() -> client.sign(reviews, REVIEWS, KeyAlgorithm.EC_P256, tooLong))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.getStatus().getDescription()).contains("validity_duration: 7862400")
              .contains("<= 7776000");
        });
  }

  @Test
  void refusesGarbageCsr() {
    assertThatThrownBy(() -> client.call("Bearer " + reviews, "not a csr", 0))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.getStatus().getDescription()).startsWith("csr:");
        });
  }

  @Test
  void refusesCsrWhoseSignatureDoesNotVerify() {
    String csr = Csrs.create(KeyAlgorithm.EC_P256.generate(), REVIEWS);
    // flip one character of the base64 near the end: the signature
    String lines[] = csr.split("\n");
    int last = lines.length - 2;
    char[] chars = lines[last].toCharArray();
    chars[chars.length / 2] = chars[chars.length / 2] == 'A' ? 'B' : 'A';
    lines[last] = new String(chars);
    String tampered = String.join("\n", lines) + "\n";

    assertThatThrownBy(() -> client.call("Bearer " + reviews, tampered, 0))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.getStatus().getDescription()).startsWith("csr:");
        });
  }

  @Test
  void refusesCallsWithoutToken() {
    String csr = Csrs.create(KeyAlgorithm.EC_P256.generate(), REVIEWS);

    assertThatThrownBy(() -> client.call(null, csr, 0))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
          assertThat(e.getStatus().getDescription()).contains("authorization: missing");
        });
  }

  @Test
  void refusesGarbageAndForgedTokens() {
    String csr = Csrs.create(KeyAlgorithm.EC_P256.generate(), REVIEWS);
    String forged = reviews.substring(0, reviews.lastIndexOf('.') + 1)
        + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

    assertThatThrownBy(() -> client.call("Bearer garbage", csr, 0))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
          assertThat(e.getStatus().getDescription()).contains("not a local credential");
        });
    assertThatThrownBy(() -> client.call("Bearer " + forged, csr, 0))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
          assertThat(e.getStatus().getDescription()).contains("does not verify");
        });
    assertThatThrownBy(() -> client.call("Basic dXNlcjpwdw==", csr, 0))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e ->
            assertThat(e.getStatus().getDescription()).contains("not a bearer token"));
  }

  @Test
  void plaintextXdsPortDoesNotServeTheCa() {
    String csr = Csrs.create(KeyAlgorithm.EC_P256.generate(), REVIEWS);
    try (CaClient plaintext = CaClient.plaintext(cp.xdsPort())) {
      assertThatThrownBy(() -> plaintext.call("Bearer " + reviews, csr, 0))
          .isInstanceOfSatisfying(StatusRuntimeException.class, e ->
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));
    }
  }

  @Test
  void servesTlsWithACertificateFromItsOwnRoot() throws Exception {
    X509Certificate serving = io.inboard.mesh.controlplane.InternalControlPlane.engine(cp).ca()
        .orElseThrow().servingChain().get(0);

    serving.verify(cp.rootCertificates().get(0).getPublicKey());
    assertThat(serving.getSubjectAlternativeNames()).contains(
        List.of(2, "istiod.istio-system.svc"), List.of(2, "localhost"), List.of(7, "127.0.0.1"));
    assertThat(serving.getSubjectAlternativeNames().stream().map(n -> n.get(1).toString()))
        .anyMatch(n -> n.equals("0:0:0:0:0:0:0:1"));
  }

  @ParameterizedTest
  @EnumSource(CaKeyType.class)
  void generatesRootOfTheChosenKeyType(CaKeyType type) throws Exception {
    try (ControlPlane other = ControlPlane.builder().xdsPort(0).adminPort(-1).caKeyType(type)
        .start()) {
      X509Certificate root = other.rootCertificates().get(0);
      assertThat(root.getPublicKey().getAlgorithm())
          .isEqualTo(type == CaKeyType.EC_P256 ? "EC" : "RSA");
      assertThat(root.getBasicConstraints()).isGreaterThanOrEqualTo(0);
      assertThat(Duration.between(Instant.now(), root.getNotAfter().toInstant()))
          .isGreaterThan(Duration.ofDays(3649));
      try (CaClient c = CaClient.tls(other.securePort(), other.rootCertificates())) {
        X509Certificate leaf = c.sign(other.issueLocalCredential("default", "x"),
            REVIEWS, KeyAlgorithm.EC_P256, 0).get(0);
        leaf.verify(root.getPublicKey());
      }
    }
  }
}
