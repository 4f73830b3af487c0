package io.inboard.mesh.grpc.mtls;

import static io.inboard.mesh.grpc.mtls.MtlsWorkloads.MESH_CA;
import static io.inboard.mesh.grpc.mtls.MtlsWorkloads.PRODUCTPAGE;
import static io.inboard.mesh.grpc.mtls.MtlsWorkloads.REVIEWS;
import static io.inboard.mesh.grpc.mtls.MtlsWorkloads.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.discovery.StaticDiscovery;
import io.inboard.mesh.grpc.MeshChannels;
import io.inboard.mesh.security.SpiffeId;
import io.inboard.mesh.security.internal.inbound.MtlsMode;
import io.inboard.mesh.security.internal.pki.InMemoryAuthority;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An xDS client (grpc-xds, gRFC A29) calling a mesh server over ISTIO_MUTUAL: the Cluster names
 * the certificate providers {@code default} and {@code ROOTCA}, which the mesh feeds from its
 * workload identity, and lists the server's SPIFFE IDs in {@code match_subject_alt_names}.
 */
class XdsMtlsTest {

  private TestAds ads;
  private Mesh serverMesh;
  private Mesh clientMesh;
  private Server server;

  @BeforeEach
  void startControlPlane() throws IOException {
    ads = new TestAds();
    clientMesh = Mesh.builder().workloadName("productpage-v1").namespace("default")
        .label("app", "productpage").label("version", "v1").controlPlane(ads.address())
        .adminPort(0).build();
    MtlsWorkloads.identity(clientMesh, PRODUCTPAGE, MESH_CA);
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.shutdownNow();
    }
    if (serverMesh != null) {
      serverMesh.close();
    }
    clientMesh.close();
    ads.close();
  }

  private void startServer(InMemoryAuthority ca, List<X509Certificate> roots)
      throws IOException {
    serverMesh = Mesh.builder().workloadName("reviews-v1").namespace("default")
        .label("app", "reviews").label("version", "v1").serves("reviews", Map.of("grpc", 9080))
        .discovery(new StaticDiscovery()).adminPort(0).build();
    MtlsWorkloads.identity(serverMesh, ca.issue(REVIEWS, Duration.ofHours(1), roots));
    MtlsWorkloads.mode(serverMesh, MtlsMode.STRICT);
    server = MtlsWorkloads.echoServer(serverMesh);
  }

  private ManagedChannel reviews() {
    return MeshChannels.forService(clientMesh, "reviews:" + server.getPort()).build();
  }

  @Test
  void xdsClient_callsStrictServerOverMtls_andServerSeesClientSpiffeId() throws IOException {
    startServer(MESH_CA, List.of(MESH_CA.root()));
    ads.serveReviews(server.getPort(), REVIEWS.toString());

    assertThat(call(reviews())).isEqualTo(PRODUCTPAGE.toString());
  }

  @Test
  void xdsClient_plaintextCluster_toStrictServer_fails() throws IOException {
    startServer(MESH_CA, List.of(MESH_CA.root()));
    ads.serveReviews(server.getPort());

    MeshServerNegotiatorContractTest.assertUnavailable(reviews());
  }

  @Test
  void serverWithCertificateFromForeignCa_isRefusedByClient() throws IOException {
    InMemoryAuthority foreign = InMemoryAuthority.create("cluster.local");
    // the server itself trusts both roots: only the client's check can refuse the call
    startServer(foreign, List.of(foreign.root(), MESH_CA.root()));
    ads.serveReviews(server.getPort(), REVIEWS.toString());

    assertThat(MeshServerNegotiatorContractTest.assertUnavailable(reviews()))
        .contains("PKIX path validation failed");
  }

  @Test
  void serverWhoseSpiffeIdIsNotInMatchSubjectAltNames_isRefused() throws IOException {
    startServer(MESH_CA, List.of(MESH_CA.root()));
    ads.serveReviews(server.getPort(),
        SpiffeId.of("cluster.local", "default", "bookinfo-ratings").toString());

    assertThat(MeshServerNegotiatorContractTest.assertUnavailable(reviews()))
        .contains("SAN check failed");
  }

  @Test
  void telemetry_carriesSpiffeIdsAndMutualTls_onBothSides() throws Exception {
    startServer(MESH_CA, List.of(MESH_CA.root()));
    ads.serveReviews(server.getPort(), REVIEWS.toString());
    ManagedChannel reviews = reviews();
    call(reviews);
    call(reviews);

    String principals = "source_principal=\"" + PRODUCTPAGE + "\"";
    await().untilAsserted(() -> {
      assertThat(series(scrape(serverMesh), "reporter=\"destination\""))
          .contains(principals, "destination_principal=\"" + REVIEWS + "\"",
              "connection_security_policy=\"mutual_tls\"", "source_workload=\"productpage-v1\"")
          .endsWith(" 2.0");
      assertThat(series(scrape(clientMesh), "reporter=\"source\""))
          .contains(principals, "destination_principal=\"" + REVIEWS + "\"",
              "connection_security_policy=\"unknown\"", "destination_workload=\"reviews-v1\"")
          .endsWith(" 2.0");
    });
  }

  @Test
  void telemetry_plaintextCall_reportsUnknownPrincipalsAndNone() throws Exception {
    startServer(MESH_CA, List.of(MESH_CA.root()));
    MtlsWorkloads.mode(serverMesh, MtlsMode.PERMISSIVE);
    ads.serveReviews(server.getPort());
    call(reviews());

    await().untilAsserted(() -> assertThat(series(scrape(serverMesh), "reporter=\"destination\""))
        .contains("source_principal=\"unknown\"", "destination_principal=\"unknown\"",
            "connection_security_policy=\"none\"")
        .endsWith(" 1.0"));
  }

  static String series(String body, String... labels) {
    return body.lines().filter(l -> l.startsWith("istio_requests_total{"))
        .filter(l -> Arrays.stream(labels).allMatch(l::contains))
        .findFirst().orElse("");
  }

  static String scrape(Mesh mesh) throws Exception {
    int port = mesh.adminAddress().orElseThrow().getPort();
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + "/stats/prometheus")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }
}
