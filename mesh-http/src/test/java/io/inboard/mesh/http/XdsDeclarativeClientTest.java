package io.inboard.mesh.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.inboard.mesh.api.annotation.MeshClient;
import io.inboard.mesh.http.annotation.Get;
import io.inboard.mesh.http.annotation.Header;
import io.inboard.mesh.http.annotation.PathParam;
import io.inboard.mesh.controlplane.ServiceEndpoint;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Declarative clients of a mesh in xDS mode go through the control plane's routes, exactly as
 * {@code send} does: the VirtualService decides which subset answers.
 */
class XdsDeclarativeClientTest {

  @MeshClient("decl:9080")
  interface DeclApi {
    @Get("/items/{id}")
    String item(@PathParam("id") int id, @Header("end-user") String user);
  }

  @BeforeAll
  static void start() throws Exception {
    XdsHttpRoutingTest.start();
  }

  @AfterAll
  static void stop() {
    XdsHttpRoutingTest.stop();
  }

  @Test
  void declarativeCall_followsTheControlPlanesHeaderRoute() {
    // service port 9080, served on the backends' own port, so the annotation can name it
    String fqdn = "decl.default.svc.cluster.local";
    XdsHttpRoutingTest.cp.register(new ServiceEndpoint(fqdn, 9080, XdsHttpRoutingTest.v1.ip,
        XdsHttpRoutingTest.v1.port, Map.of("version", "v1"), ""));
    XdsHttpRoutingTest.cp.register(new ServiceEndpoint(fqdn, 9080, XdsHttpRoutingTest.v2.ip,
        XdsHttpRoutingTest.v2.port, Map.of("version", "v2"), ""));
    XdsHttpRoutingTest.service("decl", """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: SVC}
        spec:
          hosts: [SVC]
          http:
          - match: [{headers: {end-user: {exact: jason}}}]
            route: [{destination: {host: SVC, subset: v2}}]
          - route: [{destination: {host: SVC, subset: v1}}]
        """);
    DeclApi api = XdsHttpRoutingTest.http.create(DeclApi.class);
    // the first call may wait for the new route; later ones read the compiled table
    Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
        .until(() -> api.item(1, "jason").equals(XdsHttpRoutingTest.v2.ip));
    for (int i = 0; i < 10; i++) {
      assertThat(api.item(i, "jason")).isEqualTo(XdsHttpRoutingTest.v2.ip);
      assertThat(api.item(i, null)).isEqualTo(XdsHttpRoutingTest.v1.ip);
    }
  }
}
