package io.inboard.examples.bookinfo;

import io.inboard.mesh.api.Mesh;
import jakarta.servlet.http.HttpServlet;
import java.util.function.Function;
import org.eclipse.jetty.server.Server;

/** An HTTP bookinfo workload: a servlet on Jetty, in its own mesh. */
final class HttpWorkload implements RunningWorkload {

  private final Workload workload;
  private final Mesh mesh;
  private final Server server;

  private HttpWorkload(Workload workload, Mesh mesh, Server server) {
    this.workload = workload;
    this.mesh = mesh;
    this.server = server;
  }

  /** Builds the mesh, then the servlet from it, then serves it. */
  static HttpWorkload start(Workload w, WorkloadOptions o, Function<Mesh, HttpServlet> servlet) {
    Mesh mesh = BookinfoMesh.of(w, o);
    try {
      return new HttpWorkload(w, mesh, JettyServer.start(mesh, o.bind(), o.port(),
          servlet.apply(mesh)));
    } catch (RuntimeException e) {
      mesh.close();
      throw e;
    }
  }

  @Override
  public Workload workload() {
    return workload;
  }

  @Override
  public Mesh mesh() {
    return mesh;
  }

  @Override
  public int port() {
    return JettyServer.port(server);
  }

  @Override
  public void close() {
    JettyServer.stop(server);
    mesh.close();
  }
}
