package io.inboard.mesh.security.internal.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inboard.mesh.security.SpiffeId;
import io.inboard.mesh.security.internal.identity.IdentityMaterial;
import io.inboard.mesh.security.internal.identity.InMemoryIdentity;
import io.inboard.mesh.security.internal.pki.InMemoryAuthority;
import io.inboard.mesh.security.internal.pki.KeyAlgorithm;
import java.io.IOException;
import java.net.InetAddress;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Real TLS 1.3 handshakes over loopback between identities, through {@link MeshSslContexts}:
 * the key manager presents the current generation and the trust manager checks peers by root,
 * trust domain and SPIFFE ID.
 */
class MeshTlsHandshakeTest {
  private static final SpiffeId CLIENT = SpiffeId.of("cluster.local", "default", "productpage");
  private static final SpiffeId SERVER = SpiffeId.of("cluster.local", "default", "reviews");
  private static final Duration HOUR = Duration.ofHours(1);

  private final InMemoryAuthority authority = InMemoryAuthority.create("mesh");
  private final ExecutorService serverThread = Executors.newSingleThreadExecutor();

  @AfterEach
  void stop() {
    serverThread.shutdownNow();
  }

  private static InMemoryIdentity identity(SpiffeId id, IdentityMaterial material) {
    InMemoryIdentity identity = new InMemoryIdentity(id);
    identity.update(material);
    return identity;
  }

  /** What each side saw of the other. */
  private record Handshake(X509Certificate serverSaw, X509Certificate clientSaw) {}

  private Handshake handshake(SSLContext server, SSLContext client) throws Exception {
    try (SSLServerSocket listening = (SSLServerSocket) server.getServerSocketFactory()
        .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      listening.setNeedClientAuth(true);
      Future<X509Certificate> accepted = serverThread.submit(() -> {
        try (SSLSocket s = (SSLSocket) listening.accept()) {
          s.startHandshake();
          X509Certificate peer = (X509Certificate) s.getSession().getPeerCertificates()[0];
          s.getOutputStream().write(1); // lets the client finish its side
          return peer;
        }
      });
      try (SSLSocket s = (SSLSocket) client.getSocketFactory()
          .createSocket(InetAddress.getLoopbackAddress(), listening.getLocalPort())) {
        s.startHandshake();
        X509Certificate peer = (X509Certificate) s.getSession().getPeerCertificates()[0];
        if (s.getInputStream().read() != 1) {
          throw new IOException("server closed the connection");
        }
        return new Handshake(accepted.get(10, TimeUnit.SECONDS), peer);
      }
    }
  }

  @Test
  void twoIdentitiesOfOneAuthority_handshakeAndSeeEachOthersSpiffeId() throws Exception {
    InMemoryIdentity server = identity(SERVER, authority.issue(SERVER, HOUR));
    InMemoryIdentity client = identity(CLIENT, authority.issue(CLIENT, HOUR));

    Handshake h = handshake(MeshSslContexts.server(server),
        MeshSslContexts.client(client, PeerCheck.ANY));

    assertThat(SpiffeId.fromCertificate(h.serverSaw())).contains(CLIENT);
    assertThat(SpiffeId.fromCertificate(h.clientSaw())).contains(SERVER);
  }

  @Test
  void rsaIdentities_handshake() throws Exception {
    InMemoryAuthority rsa = InMemoryAuthority.create(KeyAlgorithm.RSA_2048, "rsa-mesh");
    InMemoryIdentity server = identity(SERVER, rsa.issue(SERVER, HOUR));
    InMemoryIdentity client = identity(CLIENT, rsa.issue(CLIENT, HOUR));

    Handshake h = handshake(MeshSslContexts.server(server),
        MeshSslContexts.client(client, PeerCheck.ANY));

    assertThat(SpiffeId.fromCertificate(h.clientSaw())).contains(SERVER);
  }

  @Test
  void serverOfAForeignAuthority_isRefused() {
    InMemoryIdentity server = identity(SERVER,
        InMemoryAuthority.create("foreign").issue(SERVER, HOUR));
    InMemoryIdentity client = identity(CLIENT, authority.issue(CLIENT, HOUR));

    assertThatThrownBy(() -> handshake(MeshSslContexts.server(server),
        MeshSslContexts.client(client, PeerCheck.ANY)))
        .isInstanceOf(SSLHandshakeException.class)
        .hasMessageContaining("does not verify against the mesh roots");
  }

  @Test
  void clientOfAForeignAuthority_isRefusedByTheServer() {
    InMemoryIdentity server = identity(SERVER, authority.issue(SERVER, HOUR));
    // the client trusts both roots, so only the server can refuse
    InMemoryAuthority foreign = InMemoryAuthority.create("foreign");
    InMemoryIdentity client = identity(CLIENT,
        foreign.issue(CLIENT, HOUR, List.of(foreign.root(), authority.root())));

    assertThatThrownBy(() -> handshake(MeshSslContexts.server(server),
        MeshSslContexts.client(client, PeerCheck.ANY))).isInstanceOf(IOException.class);
  }

  @Test
  void expiredServerCertificate_isRefused() {
    IdentityMaterial expired = authority.issueExpired(SERVER, Duration.ofMinutes(5));
    InMemoryIdentity server = identity(SERVER, expired);
    InMemoryIdentity client = identity(CLIENT, authority.issue(CLIENT, HOUR));

    assertThatThrownBy(() -> handshake(MeshSslContexts.server(server),
        MeshSslContexts.client(client, PeerCheck.ANY)))
        .isInstanceOf(SSLHandshakeException.class)
        .hasMessageContaining("does not verify against the mesh roots");
  }

  @Test
  void serverInAnotherTrustDomain_isRefused() {
    SpiffeId elsewhere = SpiffeId.of("other.domain", "default", "reviews");
    InMemoryIdentity server = identity(elsewhere, authority.issue(elsewhere, HOUR));
    InMemoryIdentity client = identity(CLIENT, authority.issue(CLIENT, HOUR));

    assertThatThrownBy(() -> handshake(MeshSslContexts.server(server),
        MeshSslContexts.client(client, PeerCheck.ANY)))
        .isInstanceOf(SSLHandshakeException.class)
        .hasMessageContaining("trust domain 'other.domain' (expected: 'cluster.local')");
  }

  @Test
  void peerCheckRejectingTheServersSpiffeId_failsTheHandshake() {
    InMemoryIdentity server = identity(SERVER, authority.issue(SERVER, HOUR));
    InMemoryIdentity client = identity(CLIENT, authority.issue(CLIENT, HOUR));
    PeerCheck onlyRatings = (peer, host, port) -> {
      if (!peer.serviceAccount().equals("ratings")) {
        throw new CertificateException("server " + peer + " (expected: sa ratings)");
      }
    };

    assertThatThrownBy(() -> handshake(MeshSslContexts.server(server),
        MeshSslContexts.client(client, onlyRatings)))
        .isInstanceOf(SSLHandshakeException.class)
        .hasMessageContaining("(expected: sa ratings)");
  }

  @Test
  void clientWithoutCertificateYet_cannotHandshake() {
    InMemoryIdentity server = identity(SERVER, authority.issue(SERVER, HOUR));
    InMemoryIdentity client = new InMemoryIdentity(CLIENT);

    assertThatThrownBy(() -> handshake(MeshSslContexts.server(server),
        MeshSslContexts.client(client, PeerCheck.ANY))).isInstanceOf(IOException.class);
  }

  @Test
  void rotationBetweenHandshakes_presentsTheNewCertificate() throws Exception {
    InMemoryIdentity server = identity(SERVER, authority.issue(SERVER, HOUR));
    InMemoryIdentity client = identity(CLIENT, authority.issue(CLIENT, HOUR));
    SSLContext serverContext = MeshSslContexts.server(server);
    SSLContext clientContext = MeshSslContexts.client(client, PeerCheck.ANY);
    X509Certificate first = handshake(serverContext, clientContext).clientSaw();

    IdentityMaterial rotated = authority.issue(SERVER, HOUR);
    server.update(rotated);
    Handshake second = handshake(serverContext, clientContext);

    assertThat(first).isNotEqualTo(rotated.leaf());
    assertThat(second.clientSaw()).isEqualTo(rotated.leaf());
  }

  @Test
  void keyManager_keepsAGenerationChosenBeforeARotation_afterOthersChoseTheNewOne() {
    InMemoryIdentity identity = identity(SERVER, authority.issue(SERVER, HOUR));
    MeshKeyManager keys = new MeshKeyManager(identity);
    String before = keys.chooseEngineServerAlias("EC", null, null);
    IdentityMaterial g1 = identity.current().orElseThrow();

    identity.update(authority.issue(SERVER, HOUR));
    String after = keys.chooseEngineServerAlias("EC", null, null);

    assertThat(after).isNotEqualTo(before);
    assertThat(keys.getCertificateChain(before)).containsExactlyElementsOf(g1.chain());
    assertThat(keys.getPrivateKey(before)).isEqualTo(g1.key());
    assertThat(keys.getPrivateKey(after)).isEqualTo(identity.current().orElseThrow().key());
  }
}
