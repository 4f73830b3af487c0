package io.inboard.mesh.http.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.discovery.StaticDiscovery;
import io.inboard.mesh.api.inbound.InboundDecision;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InboundGuardTest {

  private final AtomicInteger handled = new AtomicInteger();
  private Mesh mesh;
  private HttpServer server;

  @BeforeEach
  void start() throws Exception {
    mesh = Mesh.builder().workloadName("ratings-v1").namespace("default")
        .discovery(new StaticDiscovery()).adminPort(-1)
        .inboundGuard(req -> req.path().startsWith("/admin")
            ? InboundDecision.deny("RBAC: access denied") : InboundDecision.ALLOW)
        .inboundGuard(req -> req.header("end-user") == null
            ? InboundDecision.unauthenticated("Jwt is missing") : InboundDecision.ALLOW)
        .build();
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", ex -> {
      handled.incrementAndGet();
      ex.sendResponseHeaders(204, -1);
      ex.close();
    }).getFilters().add(MeshHttpServerFilter.of(mesh));
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
    mesh.close();
  }

  @Test
  void guardsRunInOrder_firstRefusalAnswersAndAppNeverSeesRequest() throws Exception {
    HttpResponse<String> admin = get("/admin", "jason");
    HttpResponse<String> anonymous = get("/ratings/0", null);
    HttpResponse<String> ok = get("/ratings/0", "jason");

    assertThat(admin.statusCode()).isEqualTo(403);
    assertThat(admin.body()).isEqualTo("RBAC: access denied\n");
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(ok.statusCode()).isEqualTo(204);
    assertThat(handled).hasValue(1);
  }

  private HttpResponse<String> get(String path, String user) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path));
    if (user != null) {
      b.header("end-user", user);
    }
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
