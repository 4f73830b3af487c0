package io.inboard.mesh.http.mtls;

import static io.inboard.mesh.http.mtls.MeshCertificates.identity;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.http.InternalMeshHttpClientBuilder;
import io.inboard.mesh.http.MeshHttpClient;
import io.inboard.mesh.http.internal.transport.TransportKind;
import io.inboard.mesh.security.internal.identity.InMemoryIdentity;
import io.inboard.mesh.security.internal.identity.MeshIdentity;
import io.inboard.mesh.security.internal.inbound.InboundMtls;
import io.inboard.mesh.security.internal.inbound.InboundMtlsPolicy;
import io.inboard.mesh.security.internal.inbound.MtlsMode;
import io.inboard.mesh.security.internal.pki.InMemoryAuthority;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link XdsMtlsClientTest}'s mesh mTLS over the Netty transport: the same {@code SSLContext}
 * (client certificate, mesh roots, secure naming by the endpoint connected to) in a Netty
 * {@code SslHandler}, against Jetty under STRICT.
 */
class NettyXdsMtlsClientTest {

  private static final String DETAILS = "spiffe://cluster.local/ns/default/sa/bookinfo-details";
  private static final String PRODUCTPAGE =
      "spiffe://cluster.local/ns/default/sa/bookinfo-productpage";

  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private <T extends AutoCloseable> T keep(T c) {
    open.add(c);
    return c;
  }

  private int strictDetails(InMemoryIdentity serverIdentity) throws Exception {
    Mesh server = keep(MeshCertificates.mesh("details-v1", "details", serverIdentity));
    InboundMtls.of(server).set(new InboundMtlsPolicy(MtlsMode.STRICT, Map.of()));
    return keep(new MeshJettyApp(server)).port();
  }

  private MeshHttpClient productpage(int detailsPort, List<String> sans) throws Exception {
    TlsClusterXds xds = keep(new TlsClusterXds(detailsPort, sans));
    Mesh mesh = keep(Mesh.builder().workloadName("productpage-v1").namespace("default")
        .adminPort(-1).initialConfigTimeout(Duration.ofSeconds(10))
        .controlPlane(xds.address()).build());
    MeshIdentity.install(mesh, identity("bookinfo-productpage"));
    return InternalMeshHttpClientBuilder.transport(MeshHttpClient.builder(mesh),
        TransportKind.NETTY).build();
  }

  private static HttpResponse<String> get(MeshHttpClient http) throws Exception {
    return http.sendAsync(HttpRequest.newBuilder(URI.create("http://details:9080/details/0"))
        .timeout(Duration.ofSeconds(10)).build(), BodyHandlers.ofString())
        .get(20, TimeUnit.SECONDS);
  }

  @Test
  void httpUrlToAnMtlsCluster_goesAsMtls_andTheServerSeesTheCallersSpiffeId() throws Exception {
    MeshHttpClient http = productpage(strictDetails(identity("bookinfo-details")),
        List.of(DETAILS));

    HttpResponse<String> r = get(http);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("principal=" + PRODUCTPAGE + ";certs=2");
    assertThat(r.uri().getScheme()).isEqualTo("https");
    assertThat(r.sslSession()).isPresent();
  }

  @Test
  void serverWhoseSpiffeIdIsNotInTheClustersSans_isRefused() throws Exception {
    MeshHttpClient http = productpage(strictDetails(identity("bookinfo-details")),
        List.of("spiffe://cluster.local/ns/default/sa/bookinfo-reviews"));

    assertThatThrownBy(() -> get(http)).isInstanceOf(ExecutionException.class)
        .hasStackTraceContaining("secure naming");
  }

  @Test
  void serverWithACertificateFromAForeignCa_isRefused() throws Exception {
    MeshHttpClient http = productpage(strictDetails(identity("bookinfo-details",
        InMemoryAuthority.create("cluster.local"))), List.of(DETAILS));

    assertThatThrownBy(() -> get(http)).isInstanceOf(ExecutionException.class)
        .hasStackTraceContaining("does not verify against the mesh roots");
  }
}
