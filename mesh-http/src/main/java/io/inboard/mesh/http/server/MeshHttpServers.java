package io.inboard.mesh.http.server;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.security.internal.identity.MeshIdentity;
import io.inboard.mesh.security.internal.identity.WorkloadIdentity;
import io.inboard.mesh.security.internal.inbound.InboundMtls;
import io.inboard.mesh.security.internal.inbound.MtlsMode;
import io.inboard.mesh.security.internal.tls.MeshSslContexts;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDK's built-in HTTP server under the mesh's inbound mTLS policy (PeerAuthentication).
 *
 * <p>{@link #create} returns an {@link HttpsServer} that requires a client certificate from the
 * mesh when the port's mode is STRICT or PERMISSIVE and the mesh has a workload identity, and a
 * plain {@link HttpServer} otherwise (mode DISABLE, or no identity). Certificates rotate without
 * a restart.
 *
 * <p><b>Limits of the JDK server</b>, which cannot tell TLS from plaintext on one port:
 * <ul>
 *   <li>PERMISSIVE accepts <em>only mTLS</em> here: plaintext clients (workloads outside the
 *       mesh) are refused. Use {@link MeshJetty} where PERMISSIVE must accept both.
 *   <li>The mode is read once, at creation: a change between DISABLE and STRICT/PERMISSIVE needs
 *       a restart (a new server). Such a change is logged as a warning; a change between STRICT
 *       and PERMISSIVE needs nothing, since both serve mTLS only.
 * </ul>
 *
 * <pre>{@code
 * HttpServer server = MeshHttpServers.create(mesh, new InetSocketAddress(9080));
 * server.createContext("/", handler).getFilters().add(MeshHttpServerFilter.of(mesh));
 * server.start();
 * }</pre>
 */
public final class MeshHttpServers {

  private static final Logger log = LoggerFactory.getLogger(MeshHttpServers.class);

  private MeshHttpServers() {}

  /**
   * A server bound to {@code address} (not started), HTTPS with required client certificates or
   * plain HTTP as the port's mode decides now. The socket backlog is the system default.
   *
   * @param address where to bind; its port is the workload port whose mode applies
   * @throws IOException if the address cannot be bound
   */
  public static HttpServer create(Mesh mesh, InetSocketAddress address) throws IOException {
    requireNonNull(mesh, "mesh");
    requireNonNull(address, "address");
    Optional<WorkloadIdentity> identity = MeshIdentity.of(mesh);
    InboundMtls inbound = identity.isPresent() ? InboundMtls.forServer(mesh)
        : InboundMtls.of(mesh);
    int port = address.getPort();
    MtlsMode mode = inbound.policy().mode(port);
    boolean tls = identity.isPresent() && mode != MtlsMode.DISABLE;
    HttpServer server;
    if (tls) {
      HttpsServer https = HttpsServer.create(address, 0);
      https.setHttpsConfigurator(new RequireClientCertificate(
          MeshSslContexts.server(identity.get())));
      server = https;
    } else {
      if (identity.isEmpty() && mode != MtlsMode.DISABLE) {
        log.info("JDK HTTP server on port {}: plaintext, since the mesh has no workload identity"
            + " (no CA configured); PeerAuthentication {} cannot be served", port, mode);
      }
      server = HttpServer.create(address, 0);
    }
    int bound = server.getAddress().getPort();
    if (identity.isPresent()) {
      inbound.addListener(p -> {
        MtlsMode next = p.mode(port == 0 ? bound : port);
        if (tls == (next == MtlsMode.DISABLE)) {
          log.warn("JDK HTTP server on port {}: PeerAuthentication mode is now {} but the server"
              + " serves {} until it is restarted (the JDK server cannot switch between TLS and"
              + " plaintext)", bound, next, tls ? "mTLS only" : "plaintext only");
        } else if (tls && next == MtlsMode.PERMISSIVE) {
          log.warn("JDK HTTP server on port {}: PeerAuthentication mode is PERMISSIVE, but this"
              + " server accepts only mTLS (use MeshJetty to accept plaintext too)", bound);
        }
      });
    }
    return server;
  }

  /** Every TLS connection must present a client certificate, checked by the mesh's roots. */
  private static final class RequireClientCertificate extends HttpsConfigurator {
    RequireClientCertificate(SSLContext context) {
      super(context);
    }

    @Override
    public void configure(HttpsParameters params) {
      SSLParameters p = getSSLContext().getDefaultSSLParameters();
      p.setNeedClientAuth(true);
      params.setSSLParameters(p);
    }
  }
}
