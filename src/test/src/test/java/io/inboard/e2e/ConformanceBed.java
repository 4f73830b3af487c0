package io.inboard.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.telemetry.IstioMetrics;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import io.inboard.mesh.controlplane.ControlPlane;
import io.inboard.mesh.controlplane.ServiceEndpoint;
import io.inboard.mesh.http.MeshHttpClient;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A real control plane, two pods (v1 on 127.0.0.2, v2 on 127.0.0.3, each serving gRPC and HTTP
 * on the same two ports), a third pod (v3 on 127.0.0.4, same ports) that only the rows which
 * {@link #addV3 add it} register, and one xDS-mode mesh with both data planes. A service is registered
 * on two service ports, the gRPC one and the HTTP one, so one VirtualService and one
 * DestinationRule govern both planes.
 */
final class ConformanceBed implements AutoCloseable {
  static final String V1 = "127.0.0.2";
  static final String V2 = "127.0.0.3";
  static final String V3 = "127.0.0.4";

  final ControlPlane cp;
  final Pod v1;
  final Pod v2;
  final Pod v3;
  final Mesh mesh;
  final GrpcPlane grpc;
  final HttpPlane http;

  ConformanceBed() throws IOException {
    cp = ControlPlane.builder().xdsPort(0).adminPort(0).start();
    v1 = new Pod(V1, 0, 0);
    v2 = new Pod(V2, v1.grpcPort(), v1.httpPort());
    v3 = new Pod(V3, v1.grpcPort(), v1.httpPort());
    mesh = Mesh.builder().workloadName("productpage-v1").namespace("default")
        .label("app", "productpage").adminPort(0).controlPlane(cp.xdsAddress()).build();
    grpc = new GrpcPlane(mesh, v1.grpcPort());
    http = new HttpPlane(MeshHttpClient.of(mesh), v1.httpPort());
  }

  DataPlane plane(DataPlane.Kind kind) {
    return kind == DataPlane.Kind.GRPC ? grpc : http;
  }

  /**
   * Registers both pods as {@code service}'s v1 and v2 on both ports, with subsets v1 and v2 and
   * {@code trafficPolicy} (YAML flow, or empty for none) in its DestinationRule, then applies
   * {@code virtualService} with {@code SVC} replaced by the service's name.
   */
  void service(String service, String virtualService, String trafficPolicy) {
    String fqdn = service + ".default.svc.cluster.local";
    for (int port : List.of(v1.grpcPort(), v1.httpPort())) {
      cp.register(new ServiceEndpoint(fqdn, port, V1, Map.of("version", "v1")));
      cp.register(new ServiceEndpoint(fqdn, port, V2, Map.of("version", "v2")));
    }
    apply("""
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: %s}
        spec:
          host: %s
        %s  subsets:
          - {name: v1, labels: {version: v1}}
          - {name: v2, labels: {version: v2}}
        """.formatted(service, service,
        trafficPolicy.isEmpty() ? "" : "  trafficPolicy: " + trafficPolicy + "\n"));
    apply(virtualService.replace("SVC", service));
  }

  /**
   * Registers the third pod as {@code service}'s v3 on both ports. It is in no subset: only
   * routes to the whole service reach it.
   */
  void addV3(String service) {
    String fqdn = service + ".default.svc.cluster.local";
    for (int port : List.of(v1.grpcPort(), v1.httpPort())) {
      cp.register(new ServiceEndpoint(fqdn, port, V3, Map.of("version", "v3")));
    }
  }

  /**
   * Applies {@code yaml}; it must have no errors. Warnings are allowed: a field one data plane
   * cannot honour is reported as a warning, and the table shows what that plane does instead.
   */
  void apply(String yaml) {
    assertThat(cp.apply(yaml).errors()).isEmpty();
  }

  /** Sends {@code n} calls one after another. */
  static List<Outcome> sequential(DataPlane plane, String service, String path,
      Map<String, String> headers, int n) throws Exception {
    List<Outcome> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(plane.call(service, path, headers).get(30, TimeUnit.SECONDS));
    }
    return out;
  }

  /** Sends {@code n} calls at once and waits for all. */
  static List<Outcome> concurrent(DataPlane plane, String service, String path, int n)
      throws Exception {
    List<CompletableFuture<Outcome>> fs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      fs.add(plane.call(service, path, Map.of()));
    }
    List<Outcome> out = new ArrayList<>();
    for (CompletableFuture<Outcome> f : fs) {
      out.add(f.get(30, TimeUnit.SECONDS));
    }
    return out;
  }

  /**
   * The client's {@code istio_requests_total} to {@code service} with response flags {@code
   * flags}, as its admin server's {@code /stats/prometheus} shows it (0 when no such series):
   * what a user's dashboard would read.
   */
  double clientRequests(String service, String flags) throws Exception {
    InetSocketAddress admin = mesh.adminAddress().orElseThrow();
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
            "http://127.0.0.1:" + admin.getPort() + "/stats/prometheus"))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    double sum = 0;
    for (String line : r.body().split("\n")) {
      if (line.startsWith(IstioMetrics.REQUESTS_TOTAL + "{")
          && line.contains("reporter=\"source\"")
          && line.contains("destination_service_name=\"" + service + "\"")
          && line.contains("response_flags=\"" + flags + "\"")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  void reset() {
    v1.reset();
    v2.reset();
    v3.reset();
  }

  @Override
  public void close() {
    grpc.close();
    mesh.close();
    v1.close();
    v2.close();
    v3.close();
    cp.close();
  }
}
