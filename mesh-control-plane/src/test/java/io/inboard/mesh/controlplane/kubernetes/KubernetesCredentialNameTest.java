package io.inboard.mesh.controlplane.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.inboard.mesh.controlplane.ControlPlane;
import io.inboard.mesh.controlplane.ControlPlaneTestAccess;
import io.inboard.mesh.controlplane.Diagnostic;
import io.inboard.mesh.controlplane.ResourceId;
import io.inboard.mesh.controlplane.ServiceEndpoint;
import io.inboard.mesh.testing.MockCluster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * DestinationRule {@code tls.credentialName} in Kubernetes mode, on the fabric8 CRUD mock API
 * server: the Secret is read through the informer and put inline, a missing one is a warning on
 * the rule, and a Secret created late or rotated is served again.
 */
class KubernetesCredentialNameTest {
  static final String HOST = "reviews.default.svc.cluster.local";
  static final String ALL = "outbound|9080||" + HOST;
  static final Duration CHANGE = Duration.ofSeconds(20);

  MockCluster cluster;
  ControlPlane cp;
  KubernetesConfigSource source;

  @BeforeEach
  void start() throws Exception {
    cluster = MockCluster.start().installIstioCrds();
    cp = ControlPlane.builder().xdsPort(0).adminPort(-1).start();
    source = KubernetesConfigSource.builder(cluster.client(), cp).certificateAuthority(false)
        .start();
    cp.register(new ServiceEndpoint(HOST, 9080, "127.0.0.2", 9080, Map.of(), ""));
  }

  @AfterEach
  void stop() {
    source.close();
    cp.close();
    cluster.close();
  }

  static final String RULE = """
      apiVersion: networking.istio.io/v1
      kind: DestinationRule
      metadata: {name: reviews, namespace: default}
      spec:
        host: reviews
        trafficPolicy:
          tls: {mode: MUTUAL, credentialName: reviews-cred}
      """;

  void putSecret(String cert, String key, String ca) {
    Secret s = new SecretBuilder().withNewMetadata().withName("reviews-cred")
        .withNamespace("default").endMetadata().withType("kubernetes.io/tls")
        .withData(Map.of("tls.crt", b64(cert), "tls.key", b64(key), "ca.crt", b64(ca)))
        .build();
    cluster.client().secrets().inNamespace("default").resource(s).createOrReplace();
  }

  static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  CommonTlsContext served() throws Exception {
    Cluster c = ControlPlaneTestAccess.clusters(cp).get(ALL);
    return ControlPlaneTestAccess.upstream(c).getCommonTlsContext();
  }

  String servedChain() throws Exception {
    CommonTlsContext common = served();
    return common.getTlsCertificatesCount() == 0 ? ""
        : common.getTlsCertificates(0).getCertificateChain().getInlineBytes().toStringUtf8();
  }

  List<Diagnostic> credentialWarnings() {
    return cp.diagnostics().warnings().stream()
        .filter(w -> w.field().endsWith("credentialName")).toList();
  }

  @Test
  void secretOfTheRulesNamespaceIsInlined() throws Exception {
    putSecret("CERT", "KEY", "CA");
    cluster.applyCustomResource(RULE);

    await().atMost(CHANGE).untilAsserted(() -> assertThat(servedChain()).isEqualTo("CERT"));
    CommonTlsContext common = served();
    assertThat(common.getTlsCertificates(0).getPrivateKey().getInlineBytes().toStringUtf8())
        .isEqualTo("KEY");
    assertThat(common.getValidationContext().getTrustedCa().getInlineBytes().toStringUtf8())
        .isEqualTo("CA");
    assertThat(credentialWarnings()).isEmpty();
    assertThat(cp.resources("Secret", "default", "reviews-cred")).singleElement()
        .satisfies(r -> assertThat(r.document().toString()).doesNotContain(b64("KEY")));
  }

  @Test
  void missingSecretIsAWarningUntilItIsCreated_andARotationIsServed() throws Exception {
    cluster.applyCustomResource(RULE);

    await().atMost(CHANGE).untilAsserted(() -> assertThat(credentialWarnings()).singleElement()
        .satisfies(w -> {
          assertThat(w.resource())
              .isEqualTo(new ResourceId("DestinationRule", "default", "reviews"));
          assertThat(w.field()).isEqualTo("spec.trafficPolicy.tls.credentialName");
          assertThat(w.message()).contains("Secret default/reviews-cred not found");
        }));
    assertThat(servedChain()).isEmpty();

    putSecret("CERT1", "KEY1", "CA1");
    await().atMost(CHANGE).untilAsserted(() -> assertThat(servedChain()).isEqualTo("CERT1"));
    assertThat(credentialWarnings()).isEmpty();

    putSecret("CERT2", "KEY2", "CA2");
    await().atMost(CHANGE).untilAsserted(() -> assertThat(servedChain()).isEqualTo("CERT2"));

    cluster.client().secrets().inNamespace("default").withName("reviews-cred").delete();
    await().atMost(CHANGE).untilAsserted(() -> assertThat(servedChain()).isEmpty());
    assertThat(credentialWarnings()).hasSize(1);
  }

  @Test
  void secretsWithoutCertificateKeysAreNotStored() {
    cluster.client().secrets().inNamespace("default").resource(new SecretBuilder()
        .withNewMetadata().withName("token").withNamespace("default").endMetadata()
        .withData(Map.of("token", b64("sa-token"))).build()).create();
    putSecret("C", "K", "A");

    await().atMost(CHANGE).until(() -> !cp.resources("Secret", "default", "reviews-cred")
        .isEmpty());
    assertThat(cp.resources("Secret", "default", "token")).isEmpty();
  }
}
