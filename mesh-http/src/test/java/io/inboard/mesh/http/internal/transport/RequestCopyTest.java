package io.inboard.mesh.http.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.ServiceName;
import io.inboard.mesh.api.context.RequestContext;
import io.inboard.mesh.api.context.Scope;
import io.inboard.mesh.api.discovery.Endpoint;
import io.inboard.mesh.api.discovery.StaticDiscovery;
import io.inboard.mesh.api.internal.telemetry.PeerIdentity;
import io.inboard.mesh.http.MeshHttpClient;
import io.inboard.mesh.testing.HttpBackendExtension;
import io.inboard.mesh.testing.RecordedRequest;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A mesh call copies the caller's request at most once: its headers go straight from the
 * caller's request into each try as the transport sends it, never through the JDK's request
 * builder first. The caller's request here is a {@link HeaderView}, which every reader inside
 * the client reads header by header; the JDK's builder ({@code HttpRequest.newBuilder(request,
 * filter)}), which a copy goes through, reads {@code headers()} instead, and that is recorded.
 */
class RequestCopyTest {

  private static final ServiceName REVIEWS = ServiceName.of("reviews", "default");

  @RegisterExtension
  final HttpBackendExtension backend = HttpBackendExtension.on("127.0.0.2").build();
  private Mesh mesh;

  @AfterEach
  void close() {
    mesh.close();
  }

  @Test
  void meshCall_neverCopiesTheCallersRequest_yetSendsItsHeadersAndTheContexts() throws Exception {
    mesh = Mesh.builder().workloadName("productpage-v1").namespace("default")
        .propagateHeaders("end-user")
        .discovery(new StaticDiscovery().put(REVIEWS,
            List.of(Endpoint.ready("127.0.0.2", backend.port()))))
        .build();
    MeshHttpClient http = MeshHttpClient.of(mesh);
    ViewOnlyRequest request = new ViewOnlyRequest(URI.create("http://reviews/r/0"),
        List.of("x-caller", "one", "end-user", "caller-wins"));

    HttpResponse<String> response;
    try (Scope ignored = new RequestContext(
        Map.of("end-user", "jason", "x-request-id", "req-1")).makeCurrent()) {
      response = http.send(request, BodyHandlers.ofString());
    }

    assertThat(response.statusCode()).isEqualTo(200);
    RecordedRequest got = backend.lastRequest().orElseThrow();
    assertThat(got.uri().getPath()).isEqualTo("/r/0");
    assertThat(got.header("x-caller")).contains("one");
    assertThat(got.header("end-user")).contains("caller-wins");
    assertThat(got.header("x-request-id")).contains("req-1");
    assertThat(got.header(PeerIdentity.HEADER)).isPresent();
    assertThat(request.headersCalls).as("calls of headers() on the caller's request, which only"
        + " a copy through the JDK's request builder makes").isZero();
  }
}
