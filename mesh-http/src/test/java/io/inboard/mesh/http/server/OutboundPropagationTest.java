package io.inboard.mesh.http.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.ServiceName;
import io.inboard.mesh.api.context.RequestContext;
import io.inboard.mesh.api.context.Scope;
import io.inboard.mesh.api.discovery.Endpoint;
import io.inboard.mesh.api.discovery.StaticDiscovery;
import io.inboard.mesh.http.MeshHttpClient;
import io.inboard.mesh.testing.HttpBackendExtension;
import io.inboard.mesh.testing.RecordedRequest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The mesh HTTP client's outbound half: the current request context's headers go to mesh
 * services and never to other hosts, and each mesh call is counted once with
 * {@code reporter="source"}.
 */
class OutboundPropagationTest {

  @RegisterExtension
  final HttpBackendExtension details = HttpBackendExtension.on("127.0.0.1").build();
  private final StaticDiscovery discovery = new StaticDiscovery();
  private final Mesh mesh = Mesh.builder().workloadName("productpage-v1").namespace("default")
      .label("app", "productpage").label("version", "v1").propagateHeaders("end-user")
      .discovery(discovery).adminPort(0).build();
  private final MeshHttpClient http = MeshHttpClient.of(mesh);

  @BeforeEach
  void discoverDetails() {
    discovery.put(ServiceName.of("details", "default"),
        List.of(Endpoint.ready(details.ip(), details.port())));
  }

  @AfterEach
  void stop() {
    mesh.close();
  }

  @Test
  void meshCallMadeWhileServing_carriesRequestIdEndUserAndPeer() throws Exception {
    try (Scope s = inbound().makeCurrent()) {
      http.send(get("http://details:" + port() + "/d"), BodyHandlers.ofString());
    }
    assertThat(saw().header("x-request-id")).hasValue("r-9");
    assertThat(saw().header("end-user")).hasValue("jason");
    assertThat(saw().header("x-inboard-peer"))
        .hasValue("productpage-v1;default;productpage;v1;productpage;v1;Kubernetes");
  }

  @Test
  void headerTheCallerSet_isLeftAsSet() throws Exception {
    try (Scope s = inbound().makeCurrent()) {
      http.send(HttpRequest.newBuilder(URI.create("http://details:" + port() + "/d"))
          .header("End-User", "mine").build(), BodyHandlers.ofString());
    }
    assertThat(saw().headers().get("end-user")).containsExactly("mine");
  }

  @Test
  void callToNonMeshHost_getsNoContextHeaders() throws Exception {
    try (Scope s = inbound().makeCurrent()) {
      http.send(get(details.uri("/d").toString()), BodyHandlers.ofString());
    }
    assertThat(saw().header("end-user")).isEmpty();
    assertThat(saw().header("x-request-id")).isEmpty();
    assertThat(saw().header("x-inboard-peer")).isEmpty();
  }

  @Test
  void meshCalls_areCountedOnceEachWithReporterSource() throws Exception {
    http.send(get("http://details:" + port() + "/d"), BodyHandlers.ofString());
    http.send(get("http://details:" + port() + "/d"), BodyHandlers.ofString());
    http.send(get(details.uri("/d").toString()), BodyHandlers.ofString());

    await().untilAsserted(() -> assertThat(IstioRequestsTotal.line(mesh,
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
    return details.port();
  }

  private RecordedRequest saw() {
    return details.lastRequest().orElseThrow();
  }
}
