package io.inboard.mesh.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inboard.mesh.api.annotation.MeshClient;
import io.inboard.mesh.api.annotation.Retry;
import io.inboard.mesh.api.annotation.Timeout;
import io.inboard.mesh.http.annotation.Get;
import io.inboard.mesh.http.annotation.Header;
import io.inboard.mesh.http.annotation.PathParam;
import io.inboard.mesh.controlplane.ServiceEndpoint;
import io.inboard.mesh.testing.HttpBackendExtension;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

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

  @MeshClient("slow:9080")
  @Timeout("300ms")
  @Retry(attempts = 3)
  interface SlowApi {
    @Get("/")
    String get();

    @Get("/")
    @Timeout("5s")
    String patient();
  }

  @RegisterExtension
  static final XdsSubsets xds = new XdsSubsets("productpage-v1",
      b -> b.label("app", "productpage"), "v1", "v2");

  /** Adds {@code backend} to {@code service}'s port 9080, served on the backend's own port. */
  private static void register(String service, HttpBackendExtension backend) {
    xds.cp().controlPlane().register(new ServiceEndpoint(xds.cp().host(service), 9080,
        backend.ip(), backend.port(), backend.labels(), ""));
  }

  @Test
  void declarativeCall_followsTheControlPlanesHeaderRoute() {
    // service port 9080, served on the backends' own port, so the annotation can name it
    HttpBackendExtension v1 = xds.backend("v1");
    HttpBackendExtension v2 = xds.backend("v2");
    register("decl", v1);
    register("decl", v2);
    xds.service("decl", """
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
    DeclApi api = xds.http().create(DeclApi.class);
    // the first call may wait for the new route; later ones read the compiled table
    Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
        .until(() -> api.item(1, "jason").equals(v2.ip()));
    for (int i = 0; i < 10; i++) {
      assertThat(api.item(i, "jason")).isEqualTo(v2.ip());
      assertThat(api.item(i, null)).isEqualTo(v1.ip());
    }
  }

  @Test
  void timeoutAnnotation_boundsTheCallWhenTheRouteSetsNone_otherPolicyComesFromTheRoute()
      throws Exception {
    try (HttpBackendExtension slow = HttpBackendExtension.on("127.0.0.9").version("v1").build()
        .start()) {
      register("slow", slow);
      SlowApi api = xds.http().create(SlowApi.class);
      Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
          .until(() -> api.get().equals(slow.ip()));

      slow.hold();
      long start = System.nanoTime();
      assertThatThrownBy(api::get).hasRootCauseInstanceOf(HttpTimeoutException.class);
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      slow.release();

      assertThat(took).isBetween(Duration.ofMillis(250), Duration.ofMillis(2000));
      int before = slow.calls();
      slow.hold();
      CompletableFuture<String> patient = CompletableFuture.supplyAsync(api::patient);
      // well past the interface's 300 ms the call still waits: the method's 5 s applies
      Awaitility.await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(2))
          .until(() -> !patient.isDone());
      slow.release();
      assertThat(patient.get(5, TimeUnit.SECONDS)).isEqualTo(slow.ip());
      // @Retry(attempts = 3) is not applied: the route (Istio's default retry) never retried a
      // timeout, so each call reached the backend once
      assertThat(slow.calls() - before).isEqualTo(1);
    }
  }
}
