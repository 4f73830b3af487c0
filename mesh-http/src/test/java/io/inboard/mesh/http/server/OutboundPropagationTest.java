package io.inboard.mesh.http.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.ServiceName;
import io.inboard.mesh.api.context.RequestContext;
import io.inboard.mesh.api.context.Scope;
import io.inboard.mesh.api.discovery.Endpoint;
import io.inboard.mesh.api.discovery.StaticDiscovery;
import io.inboard.mesh.http.MeshHttpClient;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The mesh HTTP client's outbound half: the current request context's headers go to mesh
 * services and never to other hosts, and each mesh call is counted once with
 * {@code reporter="source"}.
 */
class OutboundPropagationTest {

  private final AtomicReference<Headers> saw = new AtomicReference<>();
  private final HttpServer details = server();
  private final StaticDiscovery discovery = new StaticDiscovery().put(
      ServiceName.of("details", "default"),
      List.of(Endpoint.ready("127.0.0.1", details.getAddress().getPort())));
  private final Mesh mesh = Mesh.builder().workloadName("productpage-v1").namespace("default")
      .label("app", "productpage").label("version", "v1").propagateHeaders("end-user")
      .discovery(discovery).adminPort(0).build();
  private final MeshHttpClient http = MeshHttpClient.of(mesh);

  @AfterEach
  void stop() {
    mesh.close();
    details.stop(0);
  }

  @Test
  void meshCallMadeWhileServing_carriesRequestIdEndUserAndPeer() throws Exception {
    try (Scope s = inbound().makeCurrent()) {
      http.send(get("http://details:" + port() + "/d"), BodyHandlers.ofString());
    }
    assertThat(saw.get().getFirst("x-request-id")).isEqualTo("r-9");
    assertThat(saw.get().getFirst("end-user")).isEqualTo("jason");
    assertThat(saw.get().getFirst("x-inboard-peer"))
        .isEqualTo("productpage-v1;default;productpage;v1");
  }

  @Test
  void headerTheCallerSet_isLeftAsSet() throws Exception {
    try (Scope s = inbound().makeCurrent()) {
      http.send(HttpRequest.newBuilder(URI.create("http://details:" + port() + "/d"))
          .header("End-User", "mine").build(), BodyHandlers.ofString());
    }
    assertThat(saw.get().get("end-user")).containsExactly("mine");
  }

  @Test
  void callToNonMeshHost_getsNoContextHeaders() throws Exception {
    try (Scope s = inbound().makeCurrent()) {
      http.send(get("http://127.0.0.1:" + port() + "/d"), BodyHandlers.ofString());
    }
    assertThat(saw.get().getFirst("end-user")).isNull();
    assertThat(saw.get().getFirst("x-request-id")).isNull();
    assertThat(saw.get().getFirst("x-inboard-peer")).isNull();
  }

  @Test
  void meshCalls_areCountedOnceEachWithReporterSource() throws Exception {
    http.send(get("http://details:" + port() + "/d"), BodyHandlers.ofString());
    http.send(get("http://details:" + port() + "/d"), BodyHandlers.ofString());
    http.send(get("http://127.0.0.1:" + port() + "/d"), BodyHandlers.ofString());

    await().untilAsserted(() -> assertThat(ReviewsBackend.requestsTotal(mesh,
        "reporter=\"source\"", "request_protocol=\"http\""))
        .contains("source_workload=\"productpage-v1\"", "response_code=\"200\"",
            "destination_service=\"details.default.svc.cluster.local\"")
        // the pass-through call to 127.0.0.1 is not a mesh call and is not counted
        .endsWith(" 2.0"));
  }

  private static RequestContext inbound() {
    return new RequestContext(Map.of("x-request-id", "r-9", "end-user", "jason"));
  }

  private static HttpRequest get(String uri) {
    return HttpRequest.newBuilder(URI.create(uri)).build();
  }

  private int port() {
    return details.getAddress().getPort();
  }

  private HttpServer server() {
    try {
      HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      s.createContext("/", ex -> {
        saw.set(ex.getRequestHeaders());
        ex.sendResponseHeaders(200, -1);
        ex.close();
      });
      s.start();
      return s;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
