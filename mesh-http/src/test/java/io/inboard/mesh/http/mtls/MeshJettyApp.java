package io.inboard.mesh.http.mtls;

import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.context.RequestContext;
import io.inboard.mesh.http.server.MeshJetty;
import io.inboard.mesh.http.server.MeshServletFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A meshed Jetty 12 app on 127.0.0.1, built as applications build one: {@link MeshJetty}'s
 * connector and {@link MeshServletFilter}. It answers every GET with
 * {@code principal=<peerPrincipal>;certs=<client chain length>}, closing the connection after
 * the response when the query is {@code close}.
 */
public final class MeshJettyApp implements AutoCloseable {

  private final Server jetty = new Server();
  private final ServerConnector connector;

  public MeshJettyApp(Mesh mesh) throws Exception {
    this(mesh, "127.0.0.1");
  }

  public MeshJettyApp(Mesh mesh, String host) throws Exception {
    connector = MeshJetty.connector(mesh, jetty, host, 0);
    jetty.addConnector(connector);
    ServletContextHandler app = new ServletContextHandler();
    app.addFilter(new FilterHolder(MeshServletFilter.of(mesh)), "/*",
        EnumSet.of(DispatcherType.REQUEST));
    app.addServlet(new ServletHolder(new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
        Object certs = req.getAttribute("jakarta.servlet.request.X509Certificate");
        int n = certs instanceof X509Certificate[] c ? c.length : 0;
        if ("close".equals(req.getQueryString())) {
          // every call on a new connection, so every call is a new handshake
          res.setHeader("Connection", "close");
        }
        res.setContentType("text/plain");
        res.getWriter().write("principal=" + RequestContext.current().peerPrincipal()
            + ";certs=" + n);
      }
    }), "/*");
    jetty.setHandler(app);
    jetty.start();
  }

  public int port() {
    return connector.getLocalPort();
  }

  @Override
  public void close() throws Exception {
    jetty.stop();
  }
}
