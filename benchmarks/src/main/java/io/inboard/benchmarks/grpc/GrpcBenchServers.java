package io.inboard.benchmarks.grpc;

import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.inboard.benchmarks.http.HttpOverheadBenchmark;
import io.inboard.benchmarks.mtls.ByteEcho;
import io.inboard.mesh.controlplane.ControlPlane;
import io.inboard.mesh.controlplane.Diagnostics;
import io.inboard.mesh.controlplane.ServiceEndpoint;
import io.inboard.mesh.testing.MockCluster;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The server side of the gRPC benchmarks, in one JVM apart from every client, so that a client
 * JVM's CPU is its path's alone:
 *
 * <ul>
 *   <li>a plain grpc-netty server on {@code 127.0.0.1:grpcPort} answering {@code bench.Echo/Get}
 *       with {@value io.inboard.benchmarks.http.EchoServer#BODY_LEN} bytes ({@link ByteEcho});
 *       every path ends there;
 *   <li>an Inboard control plane (ADS on {@code 127.0.0.1:xdsPort}) serving service
 *       {@code echo.default} port {@value #SERVICE_PORT} with that server as its one endpoint and
 *       {@link #POLICY_YAML}: a VirtualService with a timeout and retries, and a DestinationRule
 *       with round robin, connection-pool limits and outlier detection;
 *   <li>a mock Kubernetes API server (fabric8 CRUD mode, {@link MockCluster}) holding the same
 *       service and one ready pod on that server, for Inboard's Kubernetes-API mode. Its URL is
 *       written to {@code k8sUrlFile} (the mock picks a free port).
 * </ul>
 *
 * <pre>GrpcBenchServers grpcPort=19100 xdsPort=19101 k8sUrlFile=FILE</pre>
 *
 * Prints {@code ready} once everything serves, then runs until killed.
 */
public final class GrpcBenchServers {

  /** The mesh service's port, in both modes. */
  static final int SERVICE_PORT = 9090;

  /**
   * The Istio policy of the {@code inboard-xds} path, the same as the HTTP benchmark's
   * {@code ClientPaths.POLICY} where gRPC has a counterpart: 2 s route timeout, 2 retries with a
   * 1 s per-try timeout on {@code unavailable,reset,connect-failure}; round robin; 100
   * connections, 1024 pending, 1024 requests, 3 retries; Istio's default outlier detection.
   */
  static final String POLICY_YAML = """
      apiVersion: networking.istio.io/v1
      kind: VirtualService
      metadata:
        name: echo
        namespace: default
      spec:
        hosts:
        - echo
        http:
        - timeout: 2s
          retries:
            attempts: 2
            perTryTimeout: 1s
            retryOn: unavailable,reset,connect-failure
          route:
          - destination:
              host: echo
              port:
                number: %d
      ---
      apiVersion: networking.istio.io/v1
      kind: DestinationRule
      metadata:
        name: echo
        namespace: default
      spec:
        host: echo
        trafficPolicy:
          loadBalancer:
            simple: ROUND_ROBIN
          connectionPool:
            tcp:
              maxConnections: 100
              connectTimeout: 1s
            http:
              http1MaxPendingRequests: 1024
              http2MaxRequests: 1024
              maxRetries: 3
          outlierDetection:
            consecutive5xxErrors: 5
            interval: 10s
            baseEjectionTime: 30s
            maxEjectionPercent: 10
      """.formatted(SERVICE_PORT);

  private GrpcBenchServers() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = HttpOverheadBenchmark.arguments(args, 0);
    int grpcPort = Integer.parseInt(a.getOrDefault("grpcPort", "19100"));
    int xdsPort = Integer.parseInt(a.getOrDefault("xdsPort", "19101"));
    Path k8sUrlFile = Path.of(a.getOrDefault("k8sUrlFile", "benchmarks/target/grpc-k8s-url"));

    Server echo = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", grpcPort))
        .addService(ByteEcho.service(ByteEcho.body())).build().start();

    ControlPlane cp = ControlPlane.builder().host("127.0.0.1").xdsPort(xdsPort).adminPort(-1)
        .securePort(-1).injectionPort(-1).start();
    cp.register(new ServiceEndpoint("echo.default.svc.cluster.local", SERVICE_PORT, "127.0.0.1",
        grpcPort, Map.of("app", "echo"), ""));
    Diagnostics d = cp.apply(POLICY_YAML);
    if (d.hasErrors()) {
      System.err.println("bench policy refused: " + d.errors());
      System.exit(1);
    }
    if (!d.all().isEmpty()) {
      System.out.println("policy diagnostics: " + d);
    }

    MockCluster cluster = MockCluster.start();
    cluster.service("echo", "default").selector("app", "echo").port("grpc", SERVICE_PORT, "grpc")
        .create();
    cluster.pod("echo-0", "default").ip("127.0.0.1").label("app", "echo")
        .containerPort("grpc", grpcPort).ready(true).create();
    Files.createDirectories(k8sUrlFile.toAbsolutePath().getParent());
    Files.writeString(k8sUrlFile, cluster.masterUrl());

    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      echo.shutdownNow();
      cp.close();
      cluster.close();
    }));
    System.out.println("ready: echo 127.0.0.1:" + grpcPort + ", xDS 127.0.0.1:" + xdsPort
        + ", Kubernetes API " + cluster.masterUrl() + ", pid " + ProcessHandle.current().pid());
    echo.awaitTermination();
  }
}
