package io.inboard.mesh.http.mtls;

import static io.inboard.mesh.http.mtls.MeshCertificates.identity;
import static io.inboard.mesh.http.mtls.MeshCertificates.mesh;
import static io.inboard.mesh.http.mtls.MeshCertificates.mtlsClient;
import static io.inboard.mesh.http.mtls.MeshCertificates.plaintextClient;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.http.server.IstioRequestsTotal;
import io.inboard.mesh.security.internal.identity.InMemoryIdentity;
import io.inboard.mesh.security.internal.inbound.InboundMtls;
import io.inboard.mesh.security.internal.inbound.InboundMtlsPolicy;
import io.inboard.mesh.security.internal.inbound.MtlsMode;
import io.inboard.mesh.security.internal.pki.InMemoryAuthority;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A Jetty 12 server on {@code MeshJetty}'s connector under each PeerAuthentication mode, called
 * by clients in and outside the mesh, as Istio's reachability tests do: naked → STRICT fails,
 * naked → PERMISSIVE works in plaintext, mesh → anything works.
 */
class JettyMtlsModesTest {

  private final InMemoryIdentity details = identity("bookinfo-details");
  private final InMemoryIdentity productpage = identity("bookinfo-productpage");
  private Mesh mesh;
  private MeshJettyApp app;

  @BeforeEach
  void start() throws Exception {
    mesh = mesh("details-v1", "details", details);
    app = new MeshJettyApp(mesh);
  }

  @AfterEach
  void stop() throws Exception {
    app.close();
    mesh.close();
  }

  private void mode(MtlsMode mode) {
    InboundMtls.of(mesh).set(new InboundMtlsPolicy(mode, Map.of()));
  }

  private HttpResponse<String> get(HttpClient client, String scheme) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(scheme + "://127.0.0.1:" + app.port()
        + "/details/0")).timeout(Duration.ofSeconds(10)).build(), BodyHandlers.ofString());
  }

  @Test
  void strict_meshClientOverMtls_serverSeesItsSpiffeId() throws Exception {
    mode(MtlsMode.STRICT);

    HttpResponse<String> r = get(mtlsClient(productpage), "https");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(
        "principal=spiffe://cluster.local/ns/default/sa/bookinfo-productpage;certs=2");
  }

  @Test
  void strict_refusesPlaintextClient() {
    mode(MtlsMode.STRICT);

    assertThatThrownBy(() -> get(plaintextClient(), "http")).isInstanceOf(IOException.class);
  }

  @Test
  void permissive_acceptsPlaintextClient_andMtlsOnTheSamePort() throws Exception {
    mode(MtlsMode.PERMISSIVE);

    assertThat(get(plaintextClient(), "http").body()).isEqualTo("principal=;certs=0");
    assertThat(get(mtlsClient(productpage), "https").body())
        .isEqualTo("principal=spiffe://cluster.local/ns/default/sa/bookinfo-productpage;certs=2");
  }

  @Test
  void disable_acceptsPlaintextClient_andRefusesTls() throws Exception {
    mode(MtlsMode.DISABLE);

    assertThat(get(plaintextClient(), "http").statusCode()).isEqualTo(200);
    assertThatThrownBy(() -> get(mtlsClient(productpage), "https"))
        .isInstanceOf(IOException.class);
  }

  @Test
  void peerAuthenticationChange_appliesToTheNextConnectionWithoutRestart() throws Exception {
    mode(MtlsMode.DISABLE);
    assertThat(get(plaintextClient(), "http").statusCode()).isEqualTo(200);

    mode(MtlsMode.STRICT);
    assertThatThrownBy(() -> get(plaintextClient(), "http")).isInstanceOf(IOException.class);
    assertThat(get(mtlsClient(productpage), "https").statusCode()).isEqualTo(200);

    mode(MtlsMode.PERMISSIVE);
    assertThat(get(plaintextClient(), "http").statusCode()).isEqualTo(200);
  }

  @Test
  void portLevelMode_overridesTheWorkloadMode() throws Exception {
    InboundMtls.of(mesh).set(new InboundMtlsPolicy(MtlsMode.PERMISSIVE,
        Map.of(app.port(), MtlsMode.STRICT)));

    assertThatThrownBy(() -> get(plaintextClient(), "http")).isInstanceOf(IOException.class);
  }

  @Test
  void strict_refusesClientCertificateFromAForeignCa() {
    mode(MtlsMode.STRICT);
    InMemoryIdentity impostor = identity("bookinfo-productpage",
        InMemoryAuthority.create("cluster.local"));

    assertThatThrownBy(() -> get(mtlsClient(impostor), "https")).isInstanceOf(IOException.class);
  }

  @Test
  void strict_refusesExpiredClientCertificate() {
    mode(MtlsMode.STRICT);
    InMemoryIdentity expired = new InMemoryIdentity(MeshCertificates.id("bookinfo-productpage"));
    expired.update(MeshCertificates.CA.issueExpired(expired.id(), Duration.ofMinutes(5)));

    assertThatThrownBy(() -> get(mtlsClient(expired), "https")).isInstanceOf(IOException.class);
  }

  @Test
  void mtlsRequest_isReportedWithBothPrincipalsAndMutualTls() throws Exception {
    mode(MtlsMode.PERMISSIVE);
    get(mtlsClient(productpage), "https");
    get(plaintextClient(), "http");

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(IstioRequestsTotal.line(mesh, "reporter=\"destination\"",
          "connection_security_policy=\"mutual_tls\""))
          .contains("source_principal=\"spiffe://cluster.local/ns/default/sa/bookinfo-productpage\"",
              "destination_principal=\"spiffe://cluster.local/ns/default/sa/bookinfo-details\"")
          .endsWith(" 1.0");
      assertThat(IstioRequestsTotal.line(mesh, "reporter=\"destination\"",
          "connection_security_policy=\"none\""))
          .contains("source_principal=\"unknown\"", "destination_principal=\"unknown\"");
    });
  }
}
