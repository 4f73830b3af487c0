package io.inboard.mesh.controlplane;

import static io.inboard.mesh.controlplane.XdsTestBed.V1;
import static io.inboard.mesh.controlplane.XdsTestBed.V2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.StatusRuntimeException;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.grpc.MeshChannels;
import io.inboard.mesh.testing.GrpcBackendExtension;
import io.inboard.mesh.testing.LoopbackPorts;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Control-plane outages and failover, under steady traffic from a mesh in xDS mode. */
class XdsOutageTest {
  static final String FQDN = "steady.default.svc.cluster.local";

  final int xdsPort = LoopbackPorts.free();
  final ExecutorService caller = Executors.newSingleThreadExecutor();
  final AtomicBoolean calling = new AtomicBoolean(true);
  final List<String> servedBy = new CopyOnWriteArrayList<>();
  final List<StatusRuntimeException> failures = new CopyOnWriteArrayList<>();
  GrpcBackendExtension v1;
  GrpcBackendExtension v2;
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
  void killingAndRestartingControlPlaneFailsNoCallAndResyncs() throws Exception {
    v1 = GrpcBackendExtension.on(V1).build().start();
    v2 = GrpcBackendExtension.on(V2).port(v1.port()).build().start();
    cp = configured(ControlPlane.builder().xdsPort(xdsPort).adminPort(0).start(), 100);
    mesh = mesh("127.0.0.1:" + xdsPort);
    callContinuously();
    awaitMoreCalls(50);

    cp.close();
    // every call while no control plane runs is served from the last good config
    awaitMoreCalls(300);

    cp = configured(LoopbackPorts.startRetrying(
        () -> ControlPlane.builder().xdsPort(xdsPort).adminPort(0).start()), 100);
    awaitMoreCalls(50);
    cp.apply(weighted(0));
    // only a client that resynced with the new instance can see this route change
    await().atMost(Duration.ofSeconds(30)).until(() -> lastServer().equals(V2));

    assertThat(failures).isEmpty();
  }

  @Test
  void failsOverToSecondControlPlaneWhenFirstIsDown() throws Exception {
    v1 = GrpcBackendExtension.on(V1).build().start();
    v2 = GrpcBackendExtension.on(V2).port(v1.port()).build().start();
    cp = configured(ControlPlane.builder().xdsPort(0).start(), 0);
    // the first address has nothing listening
    mesh = mesh("127.0.0.1:" + xdsPort, cp.xdsAddress());
    SimpleServiceGrpc.SimpleServiceBlockingStub stub = SimpleServiceGrpc.newBlockingStub(
        MeshChannels.forService(mesh, "steady:" + v1.port()).build());

    String served = stub.withDeadlineAfter(20, TimeUnit.SECONDS)
        .unaryRpc(SimpleRequest.getDefaultInstance()).getResponseMessage();

    assertThat(served).isEqualTo(V2);
  }

  /** Registers {@code steady} on both backends, with {@code v1Weight}% of calls to v1. */
  private ControlPlane configured(ControlPlane c, int v1Weight) {
    c.register(new ServiceEndpoint(FQDN, v1.port(), V1, Map.of("version", "v1")));
    c.register(new ServiceEndpoint(FQDN, v1.port(), V2, Map.of("version", "v2")));
    assertThat(c.apply("""
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: steady}
        spec:
          host: steady
          subsets:
          - {name: v1, labels: {version: v1}}
          - {name: v2, labels: {version: v2}}
        ---
        """ + weighted(v1Weight)).all()).isEmpty();
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

  private static Mesh mesh(String... controlPlanes) {
    return Mesh.builder().workloadName("productpage-v1").namespace("default")
        .instanceIps("127.0.0.1").controlPlane(controlPlanes).build();
  }

  private void callContinuously() {
    SimpleServiceGrpc.SimpleServiceBlockingStub stub = SimpleServiceGrpc.newBlockingStub(
        MeshChannels.forService(mesh, "steady:" + v1.port()).build());
    caller.execute(() -> {
      while (calling.get()) {
        try {
          servedBy.add(stub.withDeadlineAfter(5, TimeUnit.SECONDS)
              .unaryRpc(SimpleRequest.getDefaultInstance()).getResponseMessage());
        } catch (StatusRuntimeException e) {
          failures.add(e);
        }
      }
    });
  }

  private void awaitMoreCalls(int n) {
    int target = servedBy.size() + failures.size() + n;
    await().atMost(Duration.ofSeconds(30))
        .until(() -> servedBy.size() + failures.size() >= target);
  }

  private String lastServer() {
    return servedBy.isEmpty() ? "" : servedBy.get(servedBy.size() - 1);
  }
}
