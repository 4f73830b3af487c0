package io.inboard.benchmarks.footprint;

import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.inboard.benchmarks.http.HttpOverheadBenchmark;
import io.inboard.mesh.controlplane.ControlPlane;
import io.inboard.mesh.controlplane.ServiceEndpoint;
import io.inboard.mesh.testing.MockCluster;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * Everything the measured JVM talks to, in a JVM of its own so that none of it is counted in the
 * measured heap: a gRPC server on {@code 127.0.0.1:grpcPort} answering {@code
 * grpc.health.v1.Health/Check}, and {@code services} services {@code svc-0 .. svc-<N-1>} in
 * namespace {@code default}, each with port 8080 (to the HTTP echo server on {@code echoPort},
 * another JVM) and port 9090 (to the gRPC server), served
 *
 * <ul>
 *   <li>{@code kind=xds}: by a real Inboard control plane in local mode on {@code xdsPort}, the
 *       services' endpoints registered as workload auto-registration would;
 *   <li>{@code kind=k8s}: by the fabric8 CRUD mock API server ({@link MockCluster}, with its
 *       EndpointSlice controller), one ready pod {@code svc-<i>-0} on 127.0.0.1 per service; its
 *       URL is printed as {@code master=<url>};
 *   <li>{@code kind=xds+k8s}: both, for the allocation probe's paths of either mode.
 * </ul>
 *
 * Prints {@code ready ...} once everything is in place and runs until killed.
 *
 * <pre>FootprintPlane kind=xds services=100 xdsPort=19310 echoPort=19301 grpcPort=19302</pre>
 */
public final class FootprintPlane {

  /** The services' ports: HTTP and gRPC. */
  static final int HTTP_PORT = 8080;
  static final int GRPC_PORT = 9090;

  private FootprintPlane() {}

  /** {@code svc-<i>}, the name of the i-th service. */
  static String service(int i) {
    return "svc-" + i;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> a = HttpOverheadBenchmark.parseLine(String.join(" ", args));
    String kind = a.getOrDefault("kind", "xds");
    int services = Integer.parseInt(a.getOrDefault("services", "10"));
    int echoPort = Integer.parseInt(a.getOrDefault("echoPort", "19301"));
    int grpcPort = Integer.parseInt(a.getOrDefault("grpcPort", "19302"));
    Server grpc = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", grpcPort))
        .addService(new HealthStatusManager().getHealthService()).build().start();
    Set<String> kinds = Set.of(kind.split("\\+"));
    if (!Set.of("xds", "k8s").containsAll(kinds)) {
      throw new IllegalArgumentException("kind: '" + kind
          + "' (expected: xds, k8s or xds+k8s)");
    }
    StringBuilder ready = new StringBuilder("ready kind=" + kind + " services=" + services);
    if (kinds.contains("xds")) {
      int xdsPort = Integer.parseInt(a.getOrDefault("xdsPort", "19310"));
      ControlPlane cp = ControlPlane.builder().xdsPort(xdsPort).adminPort(0).securePort(0)
          .start();
      for (int i = 0; i < services; i++) {
        String host = service(i) + ".default.svc.cluster.local";
        Map<String, String> labels = Map.of("app", service(i));
        cp.register(new ServiceEndpoint(host, HTTP_PORT, "127.0.0.1", echoPort, labels,
            "default"));
        cp.register(new ServiceEndpoint(host, GRPC_PORT, "127.0.0.1", grpcPort, labels,
            "default"));
      }
      ready.append(" xds=127.0.0.1:").append(xdsPort);
    }
    if (kinds.contains("k8s")) {
      MockCluster cluster = MockCluster.start();
      for (int i = 0; i < services; i++) {
        cluster.service(service(i), "default").selector("app", service(i))
            .port("http", HTTP_PORT, "http").port("grpc", GRPC_PORT, "grpc").create();
        cluster.pod(service(i) + "-0", "default").ip("127.0.0.1").label("app", service(i))
            .containerPort("http", echoPort).containerPort("grpc", grpcPort).create();
      }
      ready.append(" master=").append(cluster.masterUrl());
    }
    System.out.println(ready);
    System.out.flush();
    new CountDownLatch(1).await();
    grpc.shutdownNow();
  }
}
