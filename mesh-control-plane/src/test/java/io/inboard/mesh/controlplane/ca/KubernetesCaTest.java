package io.inboard.mesh.controlplane.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.inboard.mesh.controlplane.ControlPlane;
import io.inboard.mesh.controlplane.kubernetes.KubernetesConfigSource;
import io.inboard.mesh.security.SpiffeId;
import io.inboard.mesh.security.internal.pki.KeyAlgorithm;
import io.inboard.mesh.security.internal.pki.Pem;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The CA in Kubernetes mode against fabric8's mock API server: CRUD for Secrets, ConfigMaps and
 * Namespaces, beside an expectation that answers TokenReviews from a token table
 * ({@link KubernetesMixedDispatcher} consults expectations first, then CRUD).
 */
class KubernetesCaTest {
  static final SpiffeId REVIEWS = SpiffeId.of("cluster.local", "default", "bookinfo-reviews");

  /** What the fake API server says of each token: service account and audiences. */
  record Review(String user, List<String> groups, List<String> audiences, boolean ok) {}

  static final Map<String, Review> TOKENS = Map.of(
      "reviews-token", new Review("system:serviceaccount:default:bookinfo-reviews",
          List.of("system:serviceaccounts", "system:serviceaccounts:default"),
          List.of("istio-ca"), true),
      "ratings-token", new Review("system:serviceaccount:default:bookinfo-ratings",
          List.of("system:serviceaccounts"), List.of("istio-ca"), true),
      "api-token", new Review("system:serviceaccount:default:bookinfo-reviews",
          List.of("system:serviceaccounts"), List.of("https://kubernetes.default.svc"), true),
      "user-token", new Review("alice", List.of("system:authenticated"),
          List.of("istio-ca"), true));

  KubernetesMockServer server;
  KubernetesClient client;
  ControlPlane cp;
  KubernetesConfigSource source;
  final List<List<String>> askedAudiences =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    server = new KubernetesMockServer(new Context(Serialization.jsonMapper()),
        new MockWebServer(), responses, new KubernetesMixedDispatcher(responses), false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    server.expect().post().withPath("/apis/authentication.k8s.io/v1/tokenreviews")
        .andReply(201, request -> answer(request.getBody().readUtf8())).always();
    client = server.createClient();
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("default")
        .endMetadata().build()).create();
  }

  @AfterEach
  void stop() {
    if (source != null) {
      source.close();
    }
    if (cp != null) {
      cp.close();
    }
    client.close();
    server.destroy();
  }

  private Object answer(String body) {
    TokenReview asked = Serialization.unmarshal(body, TokenReview.class);
    askedAudiences.add(asked.getSpec().getAudiences());
    Review r = TOKENS.get(asked.getSpec().getToken());
    TokenReviewBuilder b = new TokenReviewBuilder(asked);
    if (r == null) {
      return b.withNewStatus().withAuthenticated(false).withError("invalid bearer token")
          .endStatus().build();
    }
    return b.withNewStatus().withAuthenticated(r.ok()).withAudiences(r.audiences())
        .withNewUser().withUsername(r.user()).withGroups(r.groups()).endUser().endStatus()
        .build();
  }

  private void startControlPlane() throws Exception {
    cp = ControlPlane.builder().xdsPort(0).adminPort(-1).start();
    source = KubernetesConfigSource.start(client, cp);
  }

  private List<X509Certificate> sign(String token, SpiffeId asked) {
    try (CaClient c = CaClient.tls(cp.securePort(), cp.rootCertificates())) {
      return c.sign(token, asked, KeyAlgorithm.EC_P256, 0);
    }
  }

  @Test
  void issuesForTheServiceAccountTheTokenReviewProves() throws Exception {
    startControlPlane();

    X509Certificate leaf = sign("reviews-token", REVIEWS).get(0);
    X509Certificate other = sign("ratings-token", REVIEWS).get(0);

    assertThat(SpiffeId.fromCertificate(leaf)).contains(REVIEWS);
    assertThat(SpiffeId.fromCertificate(other))
        .contains(SpiffeId.of("cluster.local", "default", "bookinfo-ratings"));
    assertThat(askedAudiences).allSatisfy(a -> assertThat(a).containsExactly("istio-ca"));
  }

  @Test
  void refusesTokensTheReviewDoesNotAccept() throws Exception {
    startControlPlane();

    assertRefused("api-token", "audiences [https://kubernetes.default.svc]");
    assertRefused("no-such-token", "not authenticated by the TokenReview: invalid bearer token");
    assertRefused("user-token", "user 'alice'");
  }

  @Test
  void refusesLocalCredentialsInKubernetesMode() throws Exception {
    startControlPlane();

    assertRefused(cp.issueLocalCredential("default", "bookinfo-reviews"),
        "not authenticated by the TokenReview");
  }

  private void assertRefused(String token, String message) {
    assertThatThrownBy(() -> sign(token, REVIEWS))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
          assertThat(e.getStatus().getDescription()).contains(message);
        });
  }

  @Test
  void storesRootInSecretAndReusesItAfterRestart() throws Exception {
    startControlPlane();
    X509Certificate root = cp.rootCertificates().get(0);
    Secret secret = client.secrets().inNamespace("istio-system").withName("istio-ca-secret")
        .get();
    assertThat(secret.getData()).containsKeys("ca-cert.pem", "ca-key.pem");
    source.close();
    cp.close();

    startControlPlane();

    assertThat(cp.rootCertificates()).containsExactly(root);
    sign("reviews-token", REVIEWS).get(0).verify(root.getPublicKey());
  }

  @Test
  void writesRootConfigMapIntoEveryNamespaceIncludingNewOnes() throws Exception {
    startControlPlane();
    String bundle = Pem.encode(cp.rootCertificates());
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(rootConfigMap("default")).isEqualTo(bundle));

    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("later")
        .endMetadata().build()).create();
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(rootConfigMap("later")).isEqualTo(bundle));
    ConfigMap cm = client.configMaps().inNamespace("later").withName("istio-ca-root-cert").get();
    assertThat(cm.getMetadata().getLabels()).containsEntry("istio.io/config", "true");

    X509Certificate next = cp.rotateRoot(Duration.ofMinutes(10));
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(Pem.certificates(rootConfigMap("default"))).endsWith(next).hasSize(2));
  }

  private String rootConfigMap(String namespace) {
    ConfigMap cm = client.configMaps().inNamespace(namespace).withName("istio-ca-root-cert")
        .get();
    return cm == null || cm.getData() == null ? null : cm.getData().get("root-cert.pem");
  }

  @Test
  void usesThePluggedInCacertsSecret() throws Exception {
    PluggedCaTest plugged = new PluggedCaTest();
    Base64.Encoder b64 = Base64.getEncoder();
    Map<String, String> data = Map.of(
        "ca-cert.pem", Pem.encode(plugged.intermediate),
        "ca-key.pem", Pem.encode(plugged.intermediateKeys.getPrivate()),
        "root-cert.pem", Pem.encode(plugged.root),
        "cert-chain.pem", Pem.encode(List.of(plugged.intermediate, plugged.root)));
    Map<String, String> encoded = new HashMap<>();
    data.forEach((k, v) ->
        encoded.put(k, b64.encodeToString(v.getBytes(StandardCharsets.US_ASCII))));
    client.secrets().inNamespace("istio-system").resource(new io.fabric8.kubernetes.api.model
        .SecretBuilder().withNewMetadata().withName("cacerts").withNamespace("istio-system")
        .endMetadata().withData(encoded).build()).create();

    startControlPlane();
    List<X509Certificate> chain = sign("reviews-token", REVIEWS);

    assertThat(cp.rootCertificates()).containsExactly(plugged.root);
    assertThat(chain.subList(1, 3)).containsExactly(plugged.intermediate, plugged.root);
  }
}
