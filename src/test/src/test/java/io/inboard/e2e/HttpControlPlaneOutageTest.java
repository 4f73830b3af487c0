package io.inboard.e2e;

import static io.inboard.e2e.ConformanceBed.V1;
import static io.inboard.e2e.ConformanceBed.V2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.controlplane.ControlPlane;
import io.inboard.mesh.controlplane.ServiceEndpoint;
import io.inboard.mesh.http.MeshHttpClient;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The HTTP client keeps serving from its last good config while the control plane is down. */
class HttpControlPlaneOutageTest {
  static final String SVC = "steady";

  final ExecutorService caller = Executors.newSingleThreadExecutor();
  final AtomicBoolean calling = new AtomicBoolean(true);
  final AtomicInteger calls = new AtomicInteger();
  final List<Outcome> failures = new CopyOnWriteArrayList<>();
  volatile String lastBackend = "";
  Pod v1;
  Pod v2;
  ControlPlane cp;
  Mesh mesh;

  @AfterEach
  void stop() throws InterruptedException {
    calling.set(false);
    caller.shutdown();
    caller.awaitTermination(10, TimeUnit.SECONDS);
    mesh.close();
    cp.close();
    v1.close();
    v2.close();
  }

  @Test
  void stoppingAndRestartingControlPlane_failsNoHttpCallAndResyncs() throws Exception {
    int xdsPort = freePort();
    v1 = new Pod(V1, 0, 0);
    v2 = new Pod(V2, v1.grpcPort(), v1.httpPort());
    cp = configured(ControlPlane.builder().xdsPort(xdsPort).adminPort(0).start(), 100);
    mesh = Mesh.builder().workloadName("productpage-v1").namespace("default")
        .label("app", "productpage").adminPort(-1).controlPlane("127.0.0.1:" + xdsPort).build();
    HttpPlane http = new HttpPlane(MeshHttpClient.of(mesh), v1.httpPort());
    // the very first call may wait for config; it must succeed too
    caller.execute(() -> {
      while (calling.get()) {
        try {
          Outcome o = http.call(SVC, DataPlane.UNARY, Map.of()).get(30, TimeUnit.SECONDS);
          if (o.status() != Outcome.Status.OK) {
            failures.add(o);
          } else {
            lastBackend = o.backend();
          }
        } catch (Exception e) {
          failures.add(new Outcome(null, Outcome.Status.OTHER, -1));
        }
        calls.incrementAndGet();
      }
    });
    awaitMoreCalls(50);

    cp.close();
    // every call while no control plane runs is served from the last good config
    awaitMoreCalls(300);

    // retried: the client's reconnects to the closed port may briefly hold it (TCP self-connect)
    cp = configured(await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(
        () -> ControlPlane.builder().xdsPort(xdsPort).adminPort(0).start(), c -> c != null), 100);
    awaitMoreCalls(50);
    cp.apply(weighted(0));
    // only a client that resynced with the new instance can see this route change
    await().atMost(Duration.ofSeconds(60)).until(() -> lastBackend.equals(V2));

    assertThat(failures).isEmpty();
  }

  private ControlPlane configured(ControlPlane c, int v1Weight) {
    String fqdn = SVC + ".default.svc.cluster.local";
    c.register(new ServiceEndpoint(fqdn, v1.httpPort(), V1, Map.of("version", "v1")));
    c.register(new ServiceEndpoint(fqdn, v1.httpPort(), V2, Map.of("version", "v2")));
    assertThat(c.apply("""
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: steady}
        spec:
          host: steady
          subsets:
          - {name: v1, labels: {version: v1}}
          - {name: v2, labels: {version: v2}}
        """).errors()).isEmpty();
    assertThat(c.apply(weighted(v1Weight)).errors()).isEmpty();
    return c;
  }

  private static String weighted(int v1Weight) {
    return """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: steady}
        spec:
          hosts: [steady]
          http:
          - route:
            - {destination: {host: steady, subset: v1}, weight: %d}
            - {destination: {host: steady, subset: v2}, weight: %d}
        """.formatted(v1Weight, 100 - v1Weight);
  }

  private void awaitMoreCalls(int n) {
    int target = calls.get() + n;
    await().atMost(Duration.ofSeconds(60)).until(() -> calls.get() >= target);
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
