package io.inboard.mesh.api.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inboard.mesh.api.IdentitySettings;
import io.inboard.mesh.api.IdentitySettings.KeyType;
import io.inboard.mesh.api.internal.IdentityDefaults.Given;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IdentityDefaultsTest {
  private static final Given NOTHING = new Given(null, null, null, null, null, null, null, null);
  private static final Path TOKEN = Path.of("/etc/inboard/token");
  private static final Path ROOTS = Path.of("/etc/inboard/root-cert.pem");

  private static Optional<IdentitySettings> resolve(Given given, List<String> controlPlanes,
      Map<String, String> env, Path... readable) {
    return IdentityDefaults.resolve(given, controlPlanes, env::get, Set.of(readable)::contains);
  }

  @Test
  void inKubernetes_withIstiosMounts_takesTheCaFromTheControlPlaneHostOnPort15012() {
    IdentitySettings s = resolve(NOTHING, List.of("istiod.istio-system.svc:15010"), Map.of(),
        IdentitySettings.ISTIO_TOKEN_FILE, IdentitySettings.ISTIO_ROOT_CERT_FILE).orElseThrow();

    assertThat(s).isEqualTo(new IdentitySettings("istiod.istio-system.svc:15012",
        IdentitySettings.ISTIO_TOKEN_FILE, IdentitySettings.ISTIO_ROOT_CERT_FILE, "cluster.local",
        Duration.ofHours(24), KeyType.EC_P256, Duration.ofSeconds(10)));
  }

  @Test
  void environment_namesTheCaTokenAndRoots() {
    IdentitySettings s = resolve(NOTHING, List.of(), Map.of("CA_ADDR", "ca.local:8443",
        "INBOARD_IDENTITY_TOKEN_FILE", TOKEN.toString(), "INBOARD_CA_ROOT_CERT",
        ROOTS.toString()), TOKEN, ROOTS).orElseThrow();

    assertThat(s.caAddress()).isEqualTo("ca.local:8443");
    assertThat(s.caHost()).isEqualTo("ca.local");
    assertThat(s.caPort()).isEqualTo(8443);
    assertThat(s.tokenFile()).isEqualTo(TOKEN);
    assertThat(s.rootCertFile()).isEqualTo(ROOTS);
  }

  @Test
  void somethingMissing_withNothingNamed_isNoIdentity() {
    assertThat(resolve(NOTHING, List.of("cp:15010"), Map.of(),
        IdentitySettings.ISTIO_ROOT_CERT_FILE)).isEmpty();
    // Kubernetes discovery without a control plane has no CA
    assertThat(resolve(NOTHING, List.of(), Map.of(), IdentitySettings.ISTIO_TOKEN_FILE,
        IdentitySettings.ISTIO_ROOT_CERT_FILE)).isEmpty();
  }

  @Test
  void mtlsFalse_isNoIdentityEvenWithEverything() {
    Given off = new Given(false, "ca:1", TOKEN, ROOTS, null, null, null, null);
    assertThat(resolve(off, List.of(), Map.of(), TOKEN, ROOTS)).isEmpty();
  }

  @Test
  void mtlsTrue_withSomethingMissing_failsNamingIt() {
    Given on = new Given(true, null, null, null, null, null, null, null);
    assertThatThrownBy(() -> resolve(on, List.of("cp:15010"), Map.of(),
        IdentitySettings.ISTIO_ROOT_CERT_FILE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("identityTokenFile: none (expected: MeshBuilder"
            + ".identityTokenFile(path), env INBOARD_IDENTITY_TOKEN_FILE, or "
            + "/var/run/secrets/tokens/istio-token)");
  }

  @Test
  void someSettingsGiven_withOthersMissing_fails() {
    Given partial = new Given(null, "ca:15012", null, null, null, null, null, null);
    assertThatThrownBy(() -> resolve(partial, List.of(), Map.of()))
        .hasMessageContaining("identityTokenFile: none")
        .hasMessageContaining("caRootCertFile: none")
        .hasMessageContaining("some identity settings were given");
  }

  @Test
  void namedFileThatCannotBeRead_fails() {
    Given given = new Given(null, "ca:15012", TOKEN, ROOTS, null, null, null, null);
    assertThatThrownBy(() -> resolve(given, List.of(), Map.of(), ROOTS))
        .hasMessage("identityTokenFile: '/etc/inboard/token' (expected: a readable file)");
    assertThatThrownBy(() -> resolve(NOTHING, List.of("cp:15010"),
        Map.of("INBOARD_CA_ROOT_CERT", "/nope.pem"), TOKEN))
        .hasMessage("caRootCertFile: '/nope.pem' (from env INBOARD_CA_ROOT_CERT) (expected: a"
            + " readable file)");
  }

  @Test
  void givenValues_overrideTheDefaults() {
    Given given = new Given(null, "127.0.0.1:15012", TOKEN, ROOTS, "example.org",
        Duration.ofSeconds(2), KeyType.RSA_2048, Duration.ofMillis(200));
    IdentitySettings s = resolve(given, List.of(), Map.of(), TOKEN, ROOTS).orElseThrow();

    assertThat(s.trustDomain()).isEqualTo("example.org");
    assertThat(s.certificateLifetime()).isEqualTo(Duration.ofSeconds(2));
    assertThat(s.keyType()).isEqualTo(KeyType.RSA_2048);
    assertThat(s.rootCertRefreshInterval()).isEqualTo(Duration.ofMillis(200));
  }

  @Test
  void invalidValues_failNamingFieldValueAndExpectation() {
    assertThatThrownBy(() -> resolve(new Given(null, "no-port", TOKEN, ROOTS, null, null, null,
        null), List.of(), Map.of(), TOKEN, ROOTS))
        .hasMessage("caAddress: 'no-port' (expected: host:port, such as "
            + "istiod.istio-system.svc:15012)");
    assertThatThrownBy(() -> resolve(new Given(null, "ca:1", TOKEN, ROOTS, "Bad Domain", null,
        null, null), List.of(), Map.of(), TOKEN, ROOTS))
        .hasMessageStartingWith("trustDomain: 'Bad Domain' (expected:");
    assertThatThrownBy(() -> resolve(new Given(null, "ca:1", TOKEN, ROOTS, null,
        Duration.ofMillis(500), null, null), List.of(), Map.of(), TOKEN, ROOTS))
        .hasMessage("certificateLifetime: PT0.5S (expected: >= 1s and <= 90d)");
    assertThatThrownBy(() -> resolve(new Given(null, "ca:1", TOKEN, ROOTS, null, null, null,
        Duration.ZERO), List.of(), Map.of(), TOKEN, ROOTS))
        .hasMessage("rootCertRefreshInterval: PT0S (expected: > 0)");
  }
}
