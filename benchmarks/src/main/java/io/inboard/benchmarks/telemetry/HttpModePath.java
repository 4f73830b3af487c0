package io.inboard.benchmarks.telemetry;

import io.inboard.benchmarks.http.EchoServer;
import io.inboard.benchmarks.http.OpenLoop;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.ServiceName;
import io.inboard.mesh.api.discovery.Endpoint;
import io.inboard.mesh.api.discovery.StaticDiscovery;
import io.inboard.mesh.http.MeshHttpClient;
import io.inboard.mesh.http.server.MeshServletFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.EnumSet;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * One mode's HTTP path, all in this JVM: a server mesh ({@code bench-server}) with a Jetty 12
 * server on 127.0.0.1 behind {@link MeshServletFilter} answering {@value EchoServer#BODY_LEN}
 * bytes, and a client mesh ({@code bench-client}) whose {@link MeshHttpClient} (default policy
 * and executor) calls {@code http://echo:80/} through {@link StaticDiscovery}. Both meshes have
 * the mode's telemetry, so a call pays it on both sides, as between two meshed workloads.
 */
final class HttpModePath implements ModePath {

  private final Mesh serverMesh;
  private final Server jetty;
  private final Mesh clientMesh;
  private final OpenLoop.Call call;

  private HttpModePath(Mesh serverMesh, Server jetty, Mesh clientMesh, OpenLoop.Call call) {
    this.serverMesh = serverMesh;
    this.jetty = jetty;
    this.clientMesh = clientMesh;
    this.call = call;
  }

  static HttpModePath start(TelemetryMode mode, URI collector) throws Exception {
    Mesh serverMesh = TelemetryMeshes.build("bench-server", mode, new StaticDiscovery(),
        collector);
    Server jetty = new Server();
    try {
      ServerConnector connector = new ServerConnector(jetty);
      connector.setHost("127.0.0.1");
      connector.setPort(0);
      jetty.addConnector(connector);
      jetty.setHandler(app(serverMesh));
      jetty.start();
      StaticDiscovery discovery = new StaticDiscovery().put(ServiceName.of("echo", "default"),
          List.of(Endpoint.ready("127.0.0.1", connector.getLocalPort())));
      Mesh clientMesh = TelemetryMeshes.build("bench-client", mode, discovery, collector);
      MeshHttpClient http = MeshHttpClient.builder(clientMesh).build();
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://echo:80/")).GET().build();
      OpenLoop.Call call = () -> http.sendAsync(request, BodyHandlers.ofByteArray())
          .thenApply(r -> {
            if (r.statusCode() != 200) {
              throw new IllegalStateException("status " + r.statusCode());
            }
            return r.body().length;
          });
      return new HttpModePath(serverMesh, jetty, clientMesh, call);
    } catch (Exception | Error e) {
      jetty.stop();
      serverMesh.close();
      throw e;
    }
  }

  @Override
  public OpenLoop.Call call() {
    return call;
  }

  @Override
  public void close() throws Exception {
    clientMesh.close();
    jetty.stop();
    serverMesh.close();
  }

  private static ServletContextHandler app(Mesh mesh) {
    byte[] body = new byte[EchoServer.BODY_LEN];
    for (int i = 0; i < body.length; i++) {
      body[i] = (byte) ('a' + i % 26);
    }
    ServletContextHandler app = new ServletContextHandler();
    app.addFilter(new FilterHolder(MeshServletFilter.of(mesh)), "/*",
        EnumSet.of(DispatcherType.REQUEST));
    app.addServlet(new ServletHolder(new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
        res.setContentType("application/octet-stream");
        res.setContentLength(body.length);
        res.getOutputStream().write(body);
      }
    }), "/*");
    return app;
  }
}
