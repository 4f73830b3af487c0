package io.inboard.e2e.gateway;

import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.controlplane.ControlPlane;
import io.inboard.mesh.http.server.MeshJetty;
import io.inboard.mesh.http.server.MeshServletFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;

/**
 * Istio's httpbin sample, the backend of its gateway tasks, as a mesh workload of namespace
 * {@code default} with its own identity: {@code /status/N} answers N, {@code /delay/N} waits N
 * seconds, {@code /headers} echoes the request's headers (one {@code name: value} per line);
 * every answer carries {@code x-served-by: httpbin}.
 */
final class Httpbin implements AutoCloseable {
  static final String ADDRESS = "127.0.0.29";

  final int port;
  private final Mesh mesh;
  private final Server jetty;

  private Httpbin(int port, Mesh mesh, Server jetty) {
    this.port = port;
    this.mesh = mesh;
    this.jetty = jetty;
  }

  static Httpbin start(ControlPlane controlPlane) throws Exception {
    int port = freePort();
    Path credential = Files.createTempFile("httpbin-credential-", "");
    Files.writeString(credential, controlPlane.issueLocalCredential("default", "httpbin"));
    Mesh mesh = Mesh.builder().workloadName("httpbin").namespace("default")
        .label("app", "httpbin").label("version", "v1").serviceAccount("httpbin")
        .instanceIps(ADDRESS).controlPlane(controlPlane.xdsAddress())
        .caAddress(controlPlane.secureAddress()).identityTokenFile(credential)
        .caRootCertFile(controlPlane.rootCertificateFile()).adminPort(0)
        .serves("httpbin", Map.of("http", port)).build();
    Server jetty = new Server();
    jetty.addConnector(MeshJetty.connector(mesh, jetty, ADDRESS, port));
    ServletContextHandler app = new ServletContextHandler();
    app.addFilter(new FilterHolder(MeshServletFilter.of(mesh)), "/*",
        EnumSet.of(DispatcherType.REQUEST));
    app.addServlet(new ServletHolder(new Servlet()), "/*");
    jetty.setHandler(app);
    jetty.start();
    return new Httpbin(port, mesh, jetty);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(ADDRESS, 0));
      return s.getLocalPort();
    }
  }

  @Override
  public void close() throws Exception {
    jetty.stop();
    mesh.close();
  }

  private static final class Servlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      resp.setHeader("x-served-by", "httpbin");
      String path = req.getRequestURI();
      resp.setContentType("text/plain");
      if (path.startsWith("/status/")) {
        resp.setStatus(Integer.parseInt(path.substring("/status/".length())));
      } else if (path.startsWith("/delay/")) {
        try {
          Thread.sleep(Long.parseLong(path.substring("/delay/".length())) * 1000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        resp.getWriter().write("delayed\n");
      } else if (path.equals("/headers")) {
        Map<String, String> headers = new TreeMap<>();
        for (String name : Collections.list(req.getHeaderNames())) {
          headers.put(name.toLowerCase(), req.getHeader(name));
        }
        StringBuilder b = new StringBuilder();
        headers.forEach((k, v) -> b.append(k).append(": ").append(v).append('\n'));
        resp.getWriter().write(b.toString());
      } else {
        resp.getWriter().write("httpbin\n");
      }
    }
  }
}
