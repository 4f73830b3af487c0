package io.inboard.examples.bookinfo;

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
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The HTTP services' server: Jetty 12 on the mesh's connector (mTLS per PeerAuthentication) with
 * the mesh's inbound hook (propagation, Istio metrics, the caller's SPIFFE ID) in front of one
 * servlet.
 */
final class JettyServer {

  private JettyServer() {}

  static Server start(Mesh mesh, String bind, int port, HttpServlet servlet) {
    // A small pool: seven JVMs share two cores in the local mesh.
    QueuedThreadPool threads = new QueuedThreadPool(64, 4);
    threads.setName("jetty-" + mesh.settings().workloadName());
    Server server = new Server(threads);
    // mTLS as the workload's PeerAuthentication says, decided per connection
    server.addConnector(MeshJetty.connector(mesh, server, bind, port));
    ServletContextHandler app = new ServletContextHandler();
    app.addFilter(new FilterHolder(MeshServletFilter.of(mesh)), "/*",
        EnumSet.of(DispatcherType.REQUEST));
    app.addServlet(new ServletHolder(servlet), "/*");
    server.setHandler(app);
    try {
      server.start();
    } catch (Exception e) {
      throw new IllegalStateException(mesh.settings().workloadName() + ": cannot listen on "
          + bind + ":" + port + " (" + e.getMessage() + ")", e);
    }
    return server;
  }

  static int port(Server server) {
    return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
  }

  static void stop(Server server) {
    try {
      server.stop();
    } catch (Exception e) {
      // stopping is best effort: the process or test is going away
    }
  }
}
