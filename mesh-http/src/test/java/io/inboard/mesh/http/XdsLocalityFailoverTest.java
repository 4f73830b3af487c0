package io.inboard.mesh.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.inboard.mesh.controlplane.ServiceEndpoint;
import io.inboard.mesh.controlplane.testing.ControlPlaneExtension;
import io.inboard.mesh.testing.HttpBackendExtension;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Locality-aware priority in xDS mode: a client in zone-a sends every call to zone-a's endpoints
 * (127.0.0.2 and 127.0.0.3) while any is healthy; when outlier detection ejects them all it
 * fails over to zone-b (127.0.0.4), and it comes back once their ejection ends.
 */
class XdsLocalityFailoverTest {

  @RegisterExtension
  final ControlPlaneExtension cp = ControlPlaneExtension.builder().build();
  @RegisterExtension
  final HttpBackendExtension a1 = HttpBackendExtension.on("127.0.0.2").build();
  @RegisterExtension
  final HttpBackendExtension a2 = HttpBackendExtension.on("127.0.0.3").build();
  @RegisterExtension
  final HttpBackendExtension b1 = HttpBackendExtension.on("127.0.0.4").build();
  MeshHttpClient http;

  @BeforeEach
  void start() {
    zoned(a1, "zone-a");
    zoned(a2, "zone-a");
    zoned(b1, "zone-b");
    // one 5xx ejects an endpoint for 2 s; no retries, so each call is one try (the control plane
    // warns that gRPC clients enforce consecutive errors as a failure percentage)
    assertThat(cp.applyReporting("""
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: zoned}
        spec:
          host: zoned
          trafficPolicy:
            outlierDetection:
              consecutive5xxErrors: 1
              interval: 1s
              baseEjectionTime: 2s
              maxEjectionPercent: 100
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: zoned}
        spec:
          hosts: [zoned]
          http:
          - route: [{destination: {host: zoned}}]
            retries: {attempts: 0}
        """).errors()).isEmpty();
    http = MeshHttpClient.of(cp.mesh("zoned-client", b -> b.zone("zone-a").adminPort(-1)));
    Awaitility.await().atMost(Duration.ofSeconds(45)).ignoreExceptions()
        .until(() -> call() != null);
  }

  /** Adds {@code backend} to zoned's port 9080 in {@code zone}, served on its own port. */
  private void zoned(HttpBackendExtension backend, String zone) {
    cp.controlPlane().register(new ServiceEndpoint(cp.host("zoned"), 9080, backend.ip(),
        backend.port(), backend.labels(), "", zone));
  }

  /** The body (the answering endpoint's address) of one call, whatever its status. */
  String call() throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://zoned:9080/")).build(),
        BodyHandlers.ofString()).body();
  }

  @Test
  void failsOverToAnotherZoneWhenLocalEndpointsAreEjectedAndReturns() throws Exception {
    for (int i = 0; i < 20; i++) {
      assertThat(call()).isIn(a1.ip(), a2.ip());
    }
    assertThat(b1.calls()).isZero();

    a1.status(503);
    a2.status(503);
    // each local endpoint is ejected by its first 503; then zone-b takes the calls
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> b1.ip().equals(call()));
    a1.status(200);
    a2.status(200);
    int local = a1.calls() + a2.calls();

    // once the ejection ends, calls come home to zone-a
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !b1.ip().equals(call()));
    int bHits = b1.calls();
    for (int i = 0; i < 20; i++) {
      assertThat(call()).isIn(a1.ip(), a2.ip());
    }
    assertThat(b1.calls()).isEqualTo(bHits);
    assertThat(a1.calls() + a2.calls()).isGreaterThan(local);
  }
}
