package io.inboard.e2e.security;

import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.http.server.MeshJetty;
import io.inboard.mesh.http.server.MeshServletFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** A test pod's HTTP side: Jetty on {@code MeshJetty}'s connector, behind the mesh's filter. */
public final class MeshedJetty {
  private MeshedJetty() {}

  /** Starts {@code servlet} on {@code ip}, an ephemeral port, for {@code mesh}'s workload. */
  public static Server start(Mesh mesh, String ip, HttpServlet servlet) throws Exception {
    Server jetty = new Server();
    jetty.addConnector(MeshJetty.connector(mesh, jetty, ip, 0));
    ServletContextHandler app = new ServletContextHandler();
    app.addFilter(new FilterHolder(MeshServletFilter.of(mesh)), "/*",
        EnumSet.of(DispatcherType.REQUEST));
    app.addServlet(new ServletHolder(servlet), "/*");
    jetty.setHandler(app);
    jetty.start();
    return jetty;
  }

  /** The port {@link #start} bound. */
  public static int port(Server jetty) {
    return ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
  }
}
