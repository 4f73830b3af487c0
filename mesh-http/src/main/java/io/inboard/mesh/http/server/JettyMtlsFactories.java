package io.inboard.mesh.http.server;

import io.inboard.mesh.security.internal.inbound.InboundMtls;
import io.inboard.mesh.security.internal.inbound.InboundMtlsPolicy;
import io.inboard.mesh.security.internal.inbound.MtlsMode;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.server.AbstractConnectionFactory;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.DetectorConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The connection factories behind {@link MeshJetty}: a first factory that reads the port's mode
 * for each new connection and hands the connection to TLS (STRICT), to TLS-or-plaintext
 * detection (PERMISSIVE) or to HTTP (DISABLE). All three share one HTTP factory, whose
 * {@link SecureRequestCustomizer} exposes the client certificate on TLS requests.
 */
final class JettyMtlsFactories {

  private JettyMtlsFactories() {}

  /** Plain HTTP/1.1 only. */
  static ConnectionFactory[] plaintext() {
    return new ConnectionFactory[] {new HttpConnectionFactory(httpConfiguration())};
  }

  /** The factories for a port whose mode is read from {@code policy} per connection. */
  static ConnectionFactory[] perConnection(InboundMtls policy, SSLContext context) {
    SslContextFactory.Server tls = new SslContextFactory.Server();
    tls.setSslContext(context);
    // a client certificate from the mesh is required on every TLS connection, in PERMISSIVE too
    tls.setNeedClientAuth(true);
    HttpConnectionFactory http = new HttpConnectionFactory(httpConfiguration());
    SslConnectionFactory ssl = new SslConnectionFactory(tls, http.getProtocol());
    DetectorConnectionFactory detector = new DetectorConnectionFactory(ssl);
    // order matters: the detector hands plaintext to the protocol after its own (HTTP/1.1)
    return new ConnectionFactory[] {new ModeSwitch(policy, ssl, detector, http), ssl, detector,
        http};
  }

  private static HttpConfiguration httpConfiguration() {
    HttpConfiguration config = new HttpConfiguration();
    config.setSendServerVersion(false);
    SecureRequestCustomizer secure = new SecureRequestCustomizer();
    // SPIFFE certificates carry no DNS names: Jetty's SNI host check would answer 400
    secure.setSniHostCheck(false);
    secure.setSniRequired(false);
    config.addCustomizer(secure);
    return config;
  }

  /**
   * Picks the connection's path from the port's mode at accept time, and while started closes
   * the open connections a changed policy no longer admits (plaintext ones on a port now STRICT,
   * TLS ones on a port now DISABLE), as Envoy drains a listener's old filter chains.
   */
  private static final class ModeSwitch extends AbstractConnectionFactory {
    private final InboundMtls policy;
    private final ConnectionFactory strict;
    private final ConnectionFactory permissive;
    private final ConnectionFactory disable;
    // every accepted endpoint; closed ones are pruned when the policy changes
    private static final int PRUNE_AT = 1024;
    private final Set<EndPoint> endPoints = ConcurrentHashMap.newKeySet();
    private final Consumer<InboundMtlsPolicy> enforce = p -> closeDisallowed();

    ModeSwitch(InboundMtls policy, ConnectionFactory strict, ConnectionFactory permissive,
        ConnectionFactory disable) {
      super("inboard-mtls");
      this.policy = policy;
      this.strict = strict;
      this.permissive = permissive;
      this.disable = disable;
      addBean(strict);
      addBean(permissive);
      addBean(disable);
    }

    @Override
    protected void doStart() throws Exception {
      policy.addListener(enforce);
      super.doStart();
    }

    @Override
    protected void doStop() throws Exception {
      policy.removeListener(enforce);
      endPoints.clear();
      super.doStop();
    }

    /** Closes the open connections the mode in force on their port does not admit. */
    int closeDisallowed() {
      int closed = 0;
      for (EndPoint e : endPoints) {
        if (!e.isOpen()) {
          endPoints.remove(e);
          continue;
        }
        // TLS once its SslConnection is in place; still detecting counts as not yet TLS
        boolean isTls = e.getConnection() instanceof SslConnection;
        if (!policy.policy().mode(port(e)).admits(isTls)) {
          e.close();
          endPoints.remove(e);
          closed++;
        }
      }
      return closed;
    }

    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint) {
      if (endPoints.size() >= PRUNE_AT) {
        endPoints.removeIf(e -> !e.isOpen());
      }
      endPoints.add(endPoint);
      MtlsMode mode = policy.policy().mode(port(endPoint));
      ConnectionFactory next = switch (mode) {
        case STRICT -> strict;
        case PERMISSIVE -> permissive;
        case DISABLE -> disable;
      };
      return next.newConnection(connector, endPoint);
    }

    private static int port(EndPoint endPoint) {
      SocketAddress local = endPoint.getLocalSocketAddress();
      return local instanceof InetSocketAddress a ? a.getPort() : -1;
    }
  }

}
