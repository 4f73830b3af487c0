package io.inboard.mesh.http.mtls;

import static io.inboard.mesh.http.mtls.MeshCertificates.identity;
import static io.inboard.mesh.http.mtls.MeshCertificates.mesh;
import static io.inboard.mesh.http.mtls.MeshCertificates.mtlsClient;
import static io.inboard.mesh.http.mtls.MeshCertificates.plaintextClient;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsServer;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.context.RequestContext;
import io.inboard.mesh.http.server.MeshHttpServerFilter;
import io.inboard.mesh.http.server.MeshHttpServers;
import io.inboard.mesh.security.internal.identity.InMemoryIdentity;
import io.inboard.mesh.security.internal.inbound.InboundMtls;
import io.inboard.mesh.security.internal.inbound.InboundMtlsPolicy;
import io.inboard.mesh.security.internal.inbound.MtlsMode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The JDK's HttpServer from {@code MeshHttpServers}: HTTPS with client certificates, or HTTP. */
class JdkHttpsServerMtlsTest {

  private final InMemoryIdentity details = identity("bookinfo-details");
  private final InMemoryIdentity productpage = identity("bookinfo-productpage");
  private Mesh mesh;
  private HttpServer server;

  private void start(MtlsMode mode, InMemoryIdentity identity) throws IOException {
    mesh = mesh("details-v1", "details", identity);
    InboundMtls.of(mesh).set(new InboundMtlsPolicy(mode, Map.of()));
    server = MeshHttpServers.create(mesh, new InetSocketAddress("127.0.0.1", 0));
    server.createContext("/", exchange -> {
      byte[] body = ("principal=" + RequestContext.current().peerPrincipal())
          .getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream os = exchange.getResponseBody()) {
        os.write(body);
      }
    }).getFilters().add(MeshHttpServerFilter.of(mesh));
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
    mesh.close();
  }

  private HttpResponse<String> get(HttpClient client, String scheme) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(scheme + "://127.0.0.1:"
        + server.getAddress().getPort() + "/details/0")).timeout(Duration.ofSeconds(10)).build(),
        BodyHandlers.ofString());
  }

  @Test
  void strict_servesMtls_andTheHandlerSeesTheCallersSpiffeId() throws Exception {
    start(MtlsMode.STRICT, details);

    assertThat(server).isInstanceOf(HttpsServer.class);
    assertThat(get(mtlsClient(productpage), "https").body())
        .isEqualTo("principal=spiffe://cluster.local/ns/default/sa/bookinfo-productpage");
    assertThatThrownBy(() -> get(plaintextClient(), "http")).isInstanceOf(IOException.class);
  }

  @Test
  void permissive_acceptsOnlyMtls_sinceTheJdkServerCannotSniff() throws Exception {
    start(MtlsMode.PERMISSIVE, details);

    assertThat(server).isInstanceOf(HttpsServer.class);
    assertThat(get(mtlsClient(productpage), "https").statusCode()).isEqualTo(200);
  }

  @Test
  void disable_servesPlaintext() throws Exception {
    start(MtlsMode.DISABLE, details);

    assertThat(server).isNotInstanceOf(HttpsServer.class);
    assertThat(get(plaintextClient(), "http").body()).isEqualTo("principal=");
  }

  @Test
  void noIdentity_servesPlaintextWhateverTheMode() throws Exception {
    start(MtlsMode.STRICT, null);

    assertThat(server).isNotInstanceOf(HttpsServer.class);
    assertThat(get(plaintextClient(), "http").statusCode()).isEqualTo(200);
  }
}
