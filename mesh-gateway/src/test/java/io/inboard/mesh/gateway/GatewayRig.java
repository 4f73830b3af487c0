package io.inboard.mesh.gateway;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.testing.LoopbackPorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;

/**
 * One gateway under test: a hand-fed xDS server, two backends ({@code reviews} and
 * {@code ratings}, clusters {@link #REVIEWS} and {@link #RATINGS}), the gateway's mesh in xDS
 * mode pointing at that server, and the gateway bound on 127.0.0.1 (health on a free port).
 */
final class GatewayRig implements AutoCloseable {

  static final String REVIEWS = GatewayXds.clusterName("reviews", 9080);
  static final String RATINGS = GatewayXds.clusterName("ratings", 9080);

  final GatewayXds xds;
  final Backend reviews;
  final Backend ratings;
  final Mesh mesh;
  final IngressGateway gateway;
  /** The plaintext listener's port. */
  final int port;
  final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .executor(Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "test-client");
        t.setDaemon(true);
        return t;
      })).build();

  /** What the gateway printed, as {@code IngressGateway.main} prints it. */
  final java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();

  GatewayRig() throws Exception {
    this(null);
  }

  /** @param telemetry replaces the mesh's telemetry before the gateway is built, unless null */
  GatewayRig(io.inboard.mesh.api.internal.telemetry.MeshTelemetry telemetry) throws Exception {
    xds = new GatewayXds();
    reviews = new Backend("reviews");
    ratings = new Backend("ratings");
    port = LoopbackPorts.free();
    mesh = Mesh.builder().workloadName("istio-ingressgateway").namespace("istio-system")
        .label("istio", "ingressgateway").controlPlane(xds.address()).adminPort(0)
        .initialConfigTimeout(Duration.ofSeconds(5)).build();
    if (telemetry != null) {
      io.inboard.mesh.api.internal.InternalMesh.replaceTelemetry(mesh, telemetry);
    }
    gateway = IngressGateway.builder(mesh).bindHost("127.0.0.1").healthPort(0)
        .events(IngressGateway.printing(new java.io.PrintStream(printed, true,
            java.nio.charset.StandardCharsets.UTF_8), "127.0.0.1"))
        .build();
  }

  /** Serves the plaintext listener on {@link #port} routed by {@code routes} (and extras). */
  void serve(RouteConfiguration routes, Listener... more) {
    List<Listener> listeners = new ArrayList<>();
    List<String> names = new ArrayList<>();
    names.add(GatewayXds.listenerName(port));
    listeners.add(GatewayXds.plaintext(port, routes.getName()));
    for (Listener l : more) {
      names.add(l.getName());
      listeners.add(l);
    }
    listeners.add(GatewayXds.index(names.toArray(String[]::new)));
    serve(listeners, List.of(routes));
  }

  /** Serves exactly {@code listeners} and {@code routes}, with both clusters. */
  void serve(List<Listener> listeners, List<RouteConfiguration> routes) {
    List<Cluster> clusters = List.of(GatewayXds.cluster(REVIEWS), GatewayXds.cluster(RATINGS));
    List<ClusterLoadAssignment> eps = List.of(GatewayXds.endpoints(REVIEWS, reviews.port()),
        GatewayXds.endpoints(RATINGS, ratings.port()));
    xds.serve(listeners, routes, clusters, eps);
  }

  /** {@code GET path} with {@code Host: host} on the plaintext listener. */
  HttpResponse<String> get(String host, String path, String... headers) throws Exception {
    return send(host, path, "GET", HttpRequest.BodyPublishers.noBody(), headers);
  }

  HttpResponse<String> send(String host, String path, String method,
      HttpRequest.BodyPublisher body, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + path))
        .method(method, body).header("host", host).timeout(Duration.ofSeconds(20));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return client.send(b.build(), BodyHandlers.ofString());
  }

  @Override
  public void close() {
    gateway.close();
    mesh.close();
    xds.close();
    reviews.close();
    ratings.close();
  }
}
