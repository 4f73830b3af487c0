package io.inboard.mesh.security.internal.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.inboard.mesh.api.IdentitySettings;
import io.inboard.mesh.api.IdentitySettings.KeyType;
import io.inboard.mesh.security.SpiffeId;
import io.inboard.mesh.security.internal.pki.InMemoryAuthority;
import io.inboard.mesh.security.internal.pki.Pem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.bouncycastle.asn1.x509.GeneralName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CaIdentityTest {
  private static final SpiffeId ID = SpiffeId.of("cluster.local", "default", "bookinfo-reviews");

  @TempDir Path dir;
  private TestCa ca;
  private Path token;
  private Path bundle;
  private final List<AutoCloseable> closing = new ArrayList<>();

  @BeforeEach
  void startCa() throws Exception {
    ca = new TestCa(ID).start();
    closing.add(ca);
    token = Files.writeString(dir.resolve("istio-token"), "token-1\n");
    bundle = Files.writeString(dir.resolve("root-cert.pem"), Pem.encode(ca.root()));
  }

  @AfterEach
  void close() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
  }

  private CaIdentity identity(Duration lifetime) {
    return identity(lifetime, ca.address());
  }

  private CaIdentity identity(Duration lifetime, String address) {
    CaIdentity identity = CaIdentity.start(ID, new IdentitySettings(address, token, bundle,
        "cluster.local", lifetime, KeyType.EC_P256, Duration.ofMillis(100)));
    closing.add(identity);
    return identity;
  }

  private static IdentityMaterial first(WorkloadIdentity identity) {
    return await().atMost(Duration.ofSeconds(20)).until(identity::current,
        java.util.Optional::isPresent).get();
  }

  @Test
  void firstCertificate_isForTheWorkloadsOwnKeyAndSpiffeId() throws Exception {
    IdentityMaterial m = first(identity(Duration.ofHours(1)));

    assertThat(m.generation()).isEqualTo(1);
    assertThat(SpiffeId.fromCertificate(m.leaf())).contains(ID);
    assertThat(m.chain()).hasSize(2).last().isEqualTo(ca.root());
    assertThat(m.roots()).containsExactly(ca.root());
    assertThat(keyMatchesLeaf(m)).isTrue();
    assertThat(ca.requests.get(0).getValidityDuration()).isEqualTo(3600);
    assertThat(ca.authorizations).first().isEqualTo("Bearer token-1");
  }

  @Test
  void renewal_atHalfLife_publishesWholeGenerationsWithFreshKeys() {
    CaIdentity identity = identity(Duration.ofSeconds(2));
    List<IdentityMaterial> seen = new CopyOnWriteArrayList<>();
    List<Instant> at = new CopyOnWriteArrayList<>();
    identity.addListener(m -> {
      seen.add(m);
      at.add(Instant.now());
    });

    await().atMost(Duration.ofSeconds(20)).until(() -> seen.size() >= 3);

    for (int i = 0; i < 3; i++) {
      IdentityMaterial m = seen.get(i);
      assertThat(m.generation()).isEqualTo(seen.get(0).generation() + i);
      assertThat(keyMatchesLeaf(m)).as("key and chain of generation %d", i).isTrue();
      assertThat(m.roots()).containsExactly(ca.root());
    }
    assertThat(seen.get(1).key()).isNotEqualTo(seen.get(0).key());
    // renewed at half of the life left on arrival (±1%; X.509 times are whole seconds, so that
    // is 1-2 s), and before the old certificate expired
    Duration life = Duration.between(at.get(0), seen.get(0).notAfter());
    assertThat(Duration.between(at.get(0), at.get(1)))
        .isGreaterThan(life.multipliedBy(49).dividedBy(100).minusMillis(50));
    assertThat(at.get(1)).isBefore(seen.get(0).notAfter());
  }

  @Test
  void caDown_keepsTheMaterialItHas_andRenewsWhenTheCaReturns() throws Exception {
    CaIdentity identity = identity(Duration.ofSeconds(2));
    IdentityMaterial before = first(identity);
    ca.stop();

    await().atMost(Duration.ofSeconds(20))
        .until(() -> Instant.now().isAfter(before.notAfter().plusMillis(500)));
    assertThat(identity.current()).isPresent();
    int requests = ca.requests.size();

    ca.start();
    IdentityMaterial after = await().atMost(Duration.ofSeconds(20)).until(
        () -> identity.current().get(), m -> m.generation() > before.generation()
            && m.notAfter().isAfter(Instant.now()));
    assertThat(ca.requests.size()).isGreaterThan(requests);
    assertThat(keyMatchesLeaf(after)).isTrue();
  }

  @ParameterizedTest
  @EnumSource(value = TestCa.Answer.class, names = "GOOD", mode = EnumSource.Mode.EXCLUDE)
  void badAnswer_isRefused_andRetried(TestCa.Answer answer) {
    ca.answer = answer;
    CaIdentity identity = identity(Duration.ofHours(1));

    await().atMost(Duration.ofSeconds(20)).until(() -> ca.requests.size() >= 2);
    assertThat(identity.current()).isEmpty();

    ca.answer = TestCa.Answer.GOOD;
    assertThat(first(identity).leaf()).isEqualTo(ca.issued.get(ca.issued.size() - 1));
  }

  @Test
  void tokenFile_isReadForEveryRequest() throws Exception {
    CaIdentity identity = identity(Duration.ofSeconds(2));
    first(identity);
    Files.writeString(token, "token-2");

    await().atMost(Duration.ofSeconds(20)).until(
        () -> ca.authorizations.contains("Bearer token-2"));
  }

  @Test
  void rejectedToken_leavesNoCertificate() {
    ca.requiredToken = "the-right-one";
    CaIdentity identity = identity(Duration.ofHours(1));

    await().atMost(Duration.ofSeconds(20)).until(() -> ca.authorizations.size() >= 2);
    assertThat(identity.current()).isEmpty();
  }

  @Test
  void bundleChange_publishesTheSameCertificateWithTheUnionOfRoots() throws Exception {
    CaIdentity identity = identity(Duration.ofHours(1));
    IdentityMaterial m1 = first(identity);
    X509Certificate next = InMemoryAuthority.create("next-root").root();
    List<IdentityMaterial> seen = new CopyOnWriteArrayList<>();
    identity.addListener(seen::add);

    // a root rotation: the control plane writes the old and the new root
    Files.writeString(bundle, Pem.encode(List.of(ca.root(), next)));
    IdentityMaterial m2 = await().atMost(Duration.ofSeconds(20))
        .until(() -> identity.current().get(), m -> m.generation() == m1.generation() + 1);
    assertThat(m2.roots()).containsExactlyInAnyOrder(ca.root(), next);
    assertThat(m2.chain()).isEqualTo(m1.chain());
    assertThat(m2.key()).isEqualTo(m1.key());

    // the rotation is called off: the bundle drops the new root again
    Files.writeString(bundle, Pem.encode(ca.root()));
    IdentityMaterial m3 = await().atMost(Duration.ofSeconds(20))
        .until(() -> identity.current().get(), m -> m.generation() == m1.generation() + 2);
    assertThat(m3.roots()).containsExactly(ca.root());
    assertThat(seen).extracting(IdentityMaterial::generation).doesNotHaveDuplicates();
  }

  @Test
  void caWhoseCertificateDoesNotNameTheAddress_isRefused() throws Exception {
    TestCa other = new TestCa(ID, new GeneralName(GeneralName.dNSName, "istiod.istio-system.svc"))
        .start();
    closing.add(other);
    bundle = Files.writeString(dir.resolve("other-root.pem"), Pem.encode(other.root()));
    CaIdentity identity = identity(Duration.ofHours(1), other.address());

    // TLS fails before any request reaches the service
    await().atMost(Duration.ofSeconds(20)).until(() -> identity.failedAttempts() >= 2);
    assertThat(identity.current()).isEmpty();
    assertThat(other.requests).isEmpty();
  }

  @Test
  void close_stopsRenewing() throws Exception {
    CaIdentity identity = identity(Duration.ofSeconds(2));
    first(identity);
    identity.close();
    int requests = ca.requests.size();

    // a 2 s certificate would be renewed within 1 s
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
        .until(() -> ca.requests.size() == requests);
  }

  static boolean keyMatchesLeaf(IdentityMaterial m) {
    try {
      Signature s = Signature.getInstance("SHA256withECDSA");
      s.initSign(m.key());
      s.update(new byte[] {1, 2, 3});
      byte[] sig = s.sign();
      s.initVerify(m.leaf().getPublicKey());
      s.update(new byte[] {1, 2, 3});
      return s.verify(sig);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
