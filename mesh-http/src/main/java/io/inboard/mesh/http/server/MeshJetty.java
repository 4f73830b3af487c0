package io.inboard.mesh.http.server;

import static java.util.Objects.requireNonNull;

import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.security.internal.identity.MeshIdentity;
import io.inboard.mesh.security.internal.identity.WorkloadIdentity;
import io.inboard.mesh.security.internal.inbound.InboundMtls;
import io.inboard.mesh.security.internal.tls.MeshSslContexts;
import java.util.Optional;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Jetty 12 connector that serves the mesh's inbound mTLS policy (PeerAuthentication) on one
 * port, deciding <em>per connection</em>:
 *
 * <ul>
 *   <li>STRICT: TLS with the workload's certificate, a client certificate from the mesh
 *       required; plaintext connections are closed;
 *   <li>PERMISSIVE (the default with no PeerAuthentication, as in Istio): mTLS or plaintext on
 *       the same port, told apart by the connection's first bytes (Jetty's
 *       {@code DetectorConnectionFactory});
 *   <li>DISABLE: plaintext only;
 *   <li>a mesh without an identity (no CA configured): plaintext, whatever the mode.
 * </ul>
 *
 * <p>The mode is read when each connection is accepted, so a PeerAuthentication change applies
 * to the next connection without a restart; open connections keep what they had. Certificates
 * rotate inside the TLS context: nothing needs restarting either. The caller's identity reaches
 * the application through {@link MeshServletFilter} ({@code RequestContext.peerPrincipal()}).
 *
 * <pre>{@code
 * Server jetty = new Server();
 * jetty.addConnector(MeshJetty.connector(mesh, jetty, "0.0.0.0", 9080));
 * ServletContextHandler app = new ServletContextHandler();
 * app.addFilter(new FilterHolder(MeshServletFilter.of(mesh)), "/*",
 *     EnumSet.of(DispatcherType.REQUEST));
 * }</pre>
 *
 * <p>Needs {@code org.eclipse.jetty:jetty-server} 12 on the class path (an optional dependency
 * of mesh-http). TLS serves HTTP/1.1 (no ALPN): the mesh's HTTP clients speak HTTP/1.1. The SNI
 * host check is off, since SPIFFE certificates carry no DNS names.
 */
public final class MeshJetty {

  private static final Logger log = LoggerFactory.getLogger(MeshJetty.class);

  private MeshJetty() {}

  /**
   * A connector for {@code server} on {@code host:port} under {@code mesh}'s inbound mTLS
   * policy. Add it with {@code server.addConnector}; further settings (idle timeout, acceptors)
   * may be made on it before the server starts.
   *
   * @param host the address to bind, such as {@code "0.0.0.0"}; {@code null} for all
   * @param port the workload port, whose PeerAuthentication mode ({@code portLevelMtls}) applies;
   *     {@code 0} binds an ephemeral port, and the mode of the port actually bound applies
   */
  public static ServerConnector connector(Mesh mesh, Server server, String host, int port) {
    requireNonNull(mesh, "mesh");
    requireNonNull(server, "server");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port: " + port + " (expected: 0 to 65535)");
    }
    Optional<WorkloadIdentity> identity = MeshIdentity.of(mesh);
    ServerConnector connector;
    if (identity.isEmpty()) {
      log.info("Jetty port {}: plaintext only, since the mesh has no workload identity (no CA"
          + " configured); PeerAuthentication STRICT/PERMISSIVE cannot be served", port);
      connector = new ServerConnector(server, JettyMtlsFactories.plaintext());
    } else {
      connector = new ServerConnector(server, JettyMtlsFactories.perConnection(
          InboundMtls.forServer(mesh), MeshSslContexts.server(identity.get())));
    }
    connector.setHost(host);
    connector.setPort(port);
    return connector;
  }
}
