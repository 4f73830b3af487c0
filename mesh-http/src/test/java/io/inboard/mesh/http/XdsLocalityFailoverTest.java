package io.inboard.mesh.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.controlplane.ControlPlane;
import io.inboard.mesh.controlplane.ServiceEndpoint;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Locality-aware priority in xDS mode: a client in zone-a sends every call to zone-a's endpoints
 * (127.0.0.2 and 127.0.0.3) while any is healthy; when outlier detection ejects them all it
 * fails over to zone-b (127.0.0.4), and it comes back once their ejection ends.
 */
class XdsLocalityFailoverTest {
  static final String FQDN = "zoned.default.svc.cluster.local";

  ControlPlane cp;
  RecordingBackend a1;
  RecordingBackend a2;
  RecordingBackend b1;
  Mesh mesh;
  MeshHttpClient http;

  @BeforeEach
  void start() throws Exception {
    cp = ControlPlane.builder().xdsPort(0).adminPort(0).start();
    a1 = new RecordingBackend("127.0.0.2", Backend.freePort());
    a2 = new RecordingBackend("127.0.0.3", a1.port);
    b1 = new RecordingBackend("127.0.0.4", a1.port);
    cp.register(new ServiceEndpoint(FQDN, a1.port, a1.ip, Map.of()).inZone("zone-a"));
    cp.register(new ServiceEndpoint(FQDN, a1.port, a2.ip, Map.of()).inZone("zone-a"));
    cp.register(new ServiceEndpoint(FQDN, a1.port, b1.ip, Map.of()).inZone("zone-b"));
    // one 5xx ejects an endpoint for 2 s; no retries, so each call is one try
    assertThat(cp.apply("""
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
    mesh = Mesh.builder().workloadName("zoned-client").namespace("default").zone("zone-a")
        .adminPort(-1).controlPlane(cp.xdsAddress()).build();
    http = MeshHttpClient.of(mesh);
    Awaitility.await().atMost(Duration.ofSeconds(45)).ignoreExceptions()
        .until(() -> call() != null);
  }

  @AfterEach
  void stop() {
    mesh.close();
    a1.close();
    a2.close();
    b1.close();
    cp.close();
  }

  /** The body (the answering endpoint's address) of one call, whatever its status. */
  String call() throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://zoned:" + a1.port + "/"))
        .build(), BodyHandlers.ofString()).body();
  }

  @Test
  void failsOverToAnotherZoneWhenLocalEndpointsAreEjectedAndReturns() throws Exception {
    for (int i = 0; i < 20; i++) {
      assertThat(call()).isIn(a1.ip, a2.ip);
    }
    assertThat(b1.hits.get()).isZero();

    a1.status = 503;
    a2.status = 503;
    // each local endpoint is ejected by its first 503; then zone-b takes the calls
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> b1.ip.equals(call()));
    a1.status = 200;
    a2.status = 200;
    int local = a1.hits.get() + a2.hits.get();

    // once the ejection ends, calls come home to zone-a
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !b1.ip.equals(call()));
    int bHits = b1.hits.get();
    for (int i = 0; i < 20; i++) {
      assertThat(call()).isIn(a1.ip, a2.ip);
    }
    assertThat(b1.hits.get()).isEqualTo(bHits);
    assertThat(a1.hits.get() + a2.hits.get()).isGreaterThan(local);
  }
}
