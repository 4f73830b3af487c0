package io.inboard.mesh.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.inboard.mesh.api.internal.MeshXdsNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * DestinationRule {@code tls.credentialName} in local mode: the Secret applied alongside is put
 * inline in the cluster's UpstreamTlsContext, a missing one is a warning on the rule and a
 * cluster without certificates, and a changed one is served again. Secret values are never
 * shown back.
 */
class CredentialNameTest {
  static final String HOST = "reviews.default.svc.cluster.local";
  static final String ALL = "outbound|9080||" + HOST;

  ControlPlane cp;

  @BeforeEach
  void start() throws Exception {
    cp = ControlPlane.builder().xdsPort(0).adminPort(-1).start();
    cp.register(new ServiceEndpoint(HOST, 9080, "127.0.0.2", 9080, Map.of(), ""));
  }

  @AfterEach
  void stop() {
    cp.close();
  }

  static String dr(String mode, String credentialName) {
    return """
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: reviews, namespace: default}
        spec:
          host: reviews
          trafficPolicy:
            tls: {mode: %s, credentialName: %s, subjectAltNames: [reviews.example]}
        """.formatted(mode, credentialName);
  }

  static String tlsSecret(String name, String cert, String key, String ca) {
    return """
        apiVersion: v1
        kind: Secret
        metadata: {name: %s, namespace: default}
        type: kubernetes.io/tls
        data:
          tls.crt: %s
          tls.key: %s
          ca.crt: %s
        """.formatted(name, b64(cert), b64(key), b64(ca));
  }

  /** The warnings about credentialName (the rule also warns that gRPC clients cannot use it). */
  static List<Diagnostic> credentialWarnings(Diagnostics d) {
    return d.warnings().stream().filter(w -> w.field().endsWith("credentialName")).toList();
  }

  static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  static String inline(com.google.protobuf.ByteString b) {
    return b.toStringUtf8();
  }

  @Test
  void mutualCredentialFromTlsSecretIsInlined() throws Exception {
    Diagnostics d = cp.apply(tlsSecret("reviews-cred", "CERT", "KEY", "CA") + "---\n"
        + dr("MUTUAL", "reviews-cred"));
    assertThat(credentialWarnings(d)).isEmpty();

    Cluster c = MtlsXds.clusters(cp).get(ALL);

    assertThat(MtlsXds.tls(c)).isEqualTo("MUTUAL");
    CommonTlsContext common = MtlsXds.upstream(c).getCommonTlsContext();
    assertThat(inline(common.getTlsCertificates(0).getCertificateChain().getInlineBytes()))
        .isEqualTo("CERT");
    assertThat(inline(common.getTlsCertificates(0).getPrivateKey().getInlineBytes()))
        .isEqualTo("KEY");
    assertThat(inline(common.getValidationContext().getTrustedCa().getInlineBytes()))
        .isEqualTo("CA");
    assertThat(MtlsXds.sans(c)).containsExactly("reviews.example");
  }

  @Test
  void genericKeysAndSeparateCaSecretAreRead() throws Exception {
    cp.apply("""
        apiVersion: v1
        kind: Secret
        metadata: {name: generic}
        stringData: {cert: GCERT, key: GKEY, cacert: OWN-CA}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: generic-cacert}
        stringData: {cacert: SEPARATE-CA}
        """ + "---\n" + dr("MUTUAL", "generic"));

    CommonTlsContext common = MtlsXds.upstream(MtlsXds.clusters(cp).get(ALL))
        .getCommonTlsContext();

    assertThat(inline(common.getTlsCertificates(0).getCertificateChain().getInlineBytes()))
        .isEqualTo("GCERT");
    assertThat(inline(common.getTlsCertificates(0).getPrivateKey().getInlineBytes()))
        .isEqualTo("GKEY");
    assertThat(inline(common.getValidationContext().getTrustedCa().getInlineBytes()))
        .isEqualTo("SEPARATE-CA");
  }

  @Test
  void simpleCredentialNeedsOnlyTheCa() throws Exception {
    cp.apply("""
        apiVersion: v1
        kind: Secret
        metadata: {name: ca-only}
        stringData: {ca.crt: ONLY-CA}
        """ + "---\n" + dr("SIMPLE", "ca-only"));

    CommonTlsContext common = MtlsXds.upstream(MtlsXds.clusters(cp).get(ALL))
        .getCommonTlsContext();

    assertThat(common.getTlsCertificatesCount()).isZero();
    assertThat(inline(common.getValidationContext().getTrustedCa().getInlineBytes()))
        .isEqualTo("ONLY-CA");
  }

  @Test
  void missingSecretIsAWarningAndServesNoCertificates() throws Exception {
    Diagnostics d = cp.apply(dr("MUTUAL", "absent"));

    assertThat(credentialWarnings(d)).singleElement().satisfies(w -> {
      assertThat(w.resource()).isEqualTo(new ResourceId("DestinationRule", "default", "reviews"));
      assertThat(w.field()).isEqualTo("spec.trafficPolicy.tls.credentialName");
      assertThat(w.message()).contains("Secret default/absent not found", "tls.crt");
    });
    Cluster c = MtlsXds.clusters(cp).get(ALL);
    assertThat(MtlsXds.tls(c)).isEqualTo("MUTUAL");
    assertThat(MtlsXds.upstream(c).getCommonTlsContext().getTlsCertificatesCount()).isZero();
    assertThat(c.getMetadata().getFilterMetadataOrThrow(MeshXdsNames.METADATA_FILTER)
        .getFieldsOrThrow(MeshXdsNames.TLS_UNAVAILABLE).getStringValue())
        .contains("credentialName 'absent'", "Secret default/absent not found");
  }

  @Test
  void secretWithoutTheKeysIsAWarningNamingWhatItHas() {
    cp.apply("""
        apiVersion: v1
        kind: Secret
        metadata: {name: wrong}
        stringData: {password: x}
        """);
    Diagnostics d = cp.apply(dr("MUTUAL", "wrong"));

    assertThat(credentialWarnings(d)).singleElement().satisfies(w -> assertThat(w.message())
        .contains("Secret default/wrong has keys [password]", "tls.crt and tls.key"));
  }

  @Test
  void lateOrChangedSecretIsServedAgainAndClearsTheWarning() throws Exception {
    cp.apply(dr("MUTUAL", "reviews-cred"));
    assertThat(credentialWarnings(cp.diagnostics())).hasSize(1);

    cp.apply(tlsSecret("reviews-cred", "CERT1", "KEY1", "CA1"));
    assertThat(credentialWarnings(cp.diagnostics())).isEmpty();
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(inline(
        MtlsXds.upstream(MtlsXds.clusters(cp).get(ALL)).getCommonTlsContext()
            .getTlsCertificates(0).getCertificateChain().getInlineBytes())).isEqualTo("CERT1"));

    cp.apply(tlsSecret("reviews-cred", "CERT2", "KEY2", "CA2"));
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(inline(
        MtlsXds.upstream(MtlsXds.clusters(cp).get(ALL)).getCommonTlsContext()
            .getTlsCertificates(0).getCertificateChain().getInlineBytes())).isEqualTo("CERT2"));
  }

  @Test
  void secretWithInvalidBase64IsRejectedNamingTheKeyNotTheValue() {
    Diagnostics d = cp.apply("""
        apiVersion: v1
        kind: Secret
        metadata: {name: broken}
        data: {tls.key: "not*base64"}
        """);

    assertThat(d.errors()).singleElement().satisfies(e -> {
      assertThat(e.field()).isEqualTo("data.tls.key");
      assertThat(e.toString()).contains("base64").doesNotContain("not*base64");
    });
  }

  @Test
  void storedSecretShowsKeysButNoValues() {
    cp.apply(tlsSecret("reviews-cred", "CERT", "SECRET-KEY", "CA"));

    List<StoredResource> stored = cp.resources("Secret", "default", "reviews-cred");

    assertThat(stored).singleElement().satisfies(r -> {
      assertThat(r.diagnostics()).isEmpty();
      assertThat(r.document().get("data")).isEqualTo(Map.of("tls.crt", "<redacted>",
          "tls.key", "<redacted>", "ca.crt", "<redacted>"));
      assertThat(r.document().toString()).doesNotContain(b64("SECRET-KEY"));
    });
  }
}
