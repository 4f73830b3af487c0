package io.inboard.mesh.grpc.mtls;

import static io.inboard.mesh.grpc.mtls.MtlsWorkloads.PRODUCTPAGE;
import static io.inboard.mesh.grpc.mtls.MtlsWorkloads.REVIEWS;
import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.grpc.MeshChannels;
import io.inboard.mesh.grpc.MeshGrpc;
import io.inboard.mesh.security.SpiffeId;
import io.inboard.mesh.security.internal.identity.IdentityMaterial;
import io.inboard.mesh.security.internal.identity.InMemoryIdentity;
import io.inboard.mesh.security.internal.inbound.MtlsMode;
import io.inboard.mesh.security.internal.pki.InMemoryAuthority;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Both ends rotate their certificates every {@link #ROTATION_PERIOD} while an xDS client calls
 * a STRICT server without pause, and the mesh root moves from one CA to another half-way
 * (roots A, then A+B, then certificates from B, then B only), as a CA's root rotation does. Not
 * one call may fail. Certificates live {@link #CERTIFICATE_LIFETIME}, so the server's
 * connection age (half of it) makes the client reconnect with new material all along.
 */
class CertificateRotationTest {

  /** How long calls run; the e2e suite runs the same scenario for 60 s. */
  static final Duration DURATION = Duration.ofSeconds(20);
  static final Duration ROTATION_PERIOD = Duration.ofSeconds(2);
  static final Duration CERTIFICATE_LIFETIME = Duration.ofSeconds(8);

  private final InMemoryAuthority caA = InMemoryAuthority.create("mesh-root-a");
  private final InMemoryAuthority caB = InMemoryAuthority.create("mesh-root-b");
  private final ScheduledExecutorService rotator = Executors.newSingleThreadScheduledExecutor();
  private final Set<String> clientCertificatesSeen = ConcurrentHashMap.newKeySet();
  private final Set<String> clientIssuersSeen = ConcurrentHashMap.newKeySet();
  private TestAds ads;
  private Mesh serverMesh;
  private Mesh clientMesh;
  private Server server;

  @AfterEach
  void stop() {
    rotator.shutdownNow();
    if (server != null) {
      server.shutdownNow();
    }
    if (clientMesh != null) {
      clientMesh.close();
    }
    if (serverMesh != null) {
      serverMesh.close();
    }
    if (ads != null) {
      ads.close();
    }
  }

  @Test
  void rotatingCertificatesAndRoots_underContinuousCalls_failNoCall() throws Exception {
    ads = new TestAds();
    serverMesh = MtlsWorkloads.mesh("reviews", "reviews-v1");
    InMemoryIdentity serverId = MtlsWorkloads.identity(serverMesh, material(REVIEWS, 0));
    MtlsWorkloads.mode(serverMesh, MtlsMode.STRICT);
    server = MeshGrpc.serverBuilder(serverMesh, new InetSocketAddress("127.0.0.1", 0))
        .addService(new MtlsWorkloads.PrincipalEcho()).intercept(new ClientCertificates())
        .build().start();
    clientMesh = Mesh.builder().workloadName("productpage-v1").namespace("default")
        .controlPlane(ads.address()).adminPort(0).build();
    InMemoryIdentity clientId = MtlsWorkloads.identity(clientMesh, material(PRODUCTPAGE, 0));
    ads.serveReviews(server.getPort(), REVIEWS.toString());
    ManagedChannel reviews =
        MeshChannels.forService(clientMesh, "reviews:" + server.getPort()).build();

    int ticks = (int) (DURATION.toMillis() / ROTATION_PERIOD.toMillis());
    AtomicInteger tick = new AtomicInteger();
    rotator.scheduleAtFixedRate(() -> {
      int k = Math.min(tick.incrementAndGet(), ticks);
      serverId.update(material(REVIEWS, (double) k / ticks));
      clientId.update(material(PRODUCTPAGE, (double) k / ticks));
    }, ROTATION_PERIOD.toMillis(), ROTATION_PERIOD.toMillis(), TimeUnit.MILLISECONDS);

    int ok = 0;
    List<String> failures = new ArrayList<>();
    long end = System.nanoTime() + DURATION.toNanos();
    while (System.nanoTime() < end) {
      try {
        assertThat(MtlsWorkloads.call(reviews)).isEqualTo(PRODUCTPAGE.toString());
        ok++;
      } catch (RuntimeException e) {
        failures.add(e.toString());
      }
    }

    assertThat(failures).isEmpty();
    assertThat(ok).isGreaterThan(100);
    assertThat(tick.get()).isGreaterThanOrEqualTo(ticks - 1);
    // the server saw the client reconnect with new certificates, from both roots
    assertThat(clientCertificatesSeen).hasSizeGreaterThanOrEqualTo(3);
    assertThat(clientIssuersSeen).contains("O=mesh-root-a", "O=mesh-root-b");
  }

  /**
   * The material at {@code progress} (0..1) of the run: issued by A and trusting A, then also
   * trusting B, then issued by B, then trusting B only.
   */
  private IdentityMaterial material(SpiffeId id, double progress) {
    InMemoryAuthority issuer = progress < 0.5 ? caA : caB;
    List<X509Certificate> roots = progress < 0.3 ? List.of(caA.root())
        : progress < 0.8 ? List.of(caA.root(), caB.root()) : List.of(caB.root());
    return issuer.issue(id, CERTIFICATE_LIFETIME, roots);
  }

  /** Remembers the serial and issuer of each client certificate a call came with. */
  private final class ClientCertificates implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
        ServerCallHandler<Q, R> next) {
      SSLSession tls = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
      try {
        X509Certificate leaf = (X509Certificate) tls.getPeerCertificates()[0];
        clientCertificatesSeen.add(leaf.getSerialNumber().toString(16));
        clientIssuersSeen.add(leaf.getIssuerX500Principal().getName());
      } catch (Exception e) {
        throw new AssertionError("STRICT call without a client certificate", e);
      }
      return next.startCall(call, headers);
    }
  }
}
