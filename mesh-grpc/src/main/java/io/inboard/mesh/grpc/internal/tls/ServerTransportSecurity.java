package io.inboard.mesh.grpc.internal.tls;

import io.grpc.ServerCredentials;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.InternalNettyServerCredentials;
import io.grpc.netty.NettyServerBuilder;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.security.internal.identity.IdentityMaterial;
import io.inboard.mesh.security.internal.identity.MeshIdentity;
import io.inboard.mesh.security.internal.identity.WorkloadIdentity;
import io.inboard.mesh.security.internal.inbound.InboundMtls;
import io.inboard.mesh.security.internal.inbound.InboundMtlsPolicy;
import io.inboard.mesh.security.internal.tls.MeshKeyManager;
import io.inboard.mesh.security.internal.tls.PeerCheck;
import io.inboard.mesh.security.internal.tls.SpiffeTrustManager;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.net.SocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * Builds a mesh server's transport: grpc-netty with {@link MeshServerNegotiator} over one
 * {@code SslContext} whose key and trust managers read the workload's identity at each
 * handshake, so rotation never rebuilds it.
 */
public final class ServerTransportSecurity {

  /** The longest a connection lives, so that both ends pick up rotated certificates. */
  public static final Duration MAX_CONNECTION_AGE = Duration.ofMinutes(30);

  /** The shortest connection age set, whatever the certificate's lifetime. */
  static final Duration MIN_CONNECTION_AGE = Duration.ofSeconds(1);

  /** How long calls in flight on a connection past its age may still run. */
  public static final Duration MAX_CONNECTION_AGE_GRACE = Duration.ofMinutes(5);

  private ServerTransportSecurity() {}

  /** A grpc-netty server builder on {@code address} whose connections follow the mesh's mTLS. */
  public static NettyServerBuilder serverBuilder(Mesh mesh, SocketAddress address) {
    Optional<WorkloadIdentity> identity = MeshIdentity.of(mesh);
    // without an identity every port is plaintext, so there is no policy to wait for
    InboundMtls policy = identity.isPresent() ? InboundMtls.forServer(mesh)
        : InboundMtls.of(mesh);
    SslContext mtls = identity.map(ServerTransportSecurity::sslContext).orElse(null);
    MeshServerNegotiator negotiator =
        new MeshServerNegotiator(mtls, port -> policy.policy().mode(port));
    // a tightened policy closes the connections it no longer admits
    Consumer<InboundMtlsPolicy> enforce = p -> negotiator.closeDisallowed();
    policy.addListener(enforce);
    negotiator.onClose(() -> policy.removeListener(enforce));
    ServerCredentials credentials = InternalNettyServerCredentials.create(negotiator);
    NettyServerBuilder b = NettyServerBuilder.forAddress(address, credentials);
    identity.ifPresent(id -> {
      Duration age = maxConnectionAge(id.current());
      b.maxConnectionAge(age.toMillis(), TimeUnit.MILLISECONDS)
          .maxConnectionAgeGrace(MAX_CONNECTION_AGE_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    });
    return b;
  }

  /**
   * {@link #MAX_CONNECTION_AGE}, or half the time the current certificate has left if that is
   * shorter (read when the server is built; later certificates live as long in practice).
   */
  static Duration maxConnectionAge(Optional<IdentityMaterial> material) {
    if (material.isEmpty()) {
      return MAX_CONNECTION_AGE;
    }
    Duration half = Duration.between(Instant.now(), material.get().notAfter()).dividedBy(2);
    return half.compareTo(MAX_CONNECTION_AGE) < 0 && half.compareTo(MIN_CONNECTION_AGE) > 0
        ? half : half.compareTo(MAX_CONNECTION_AGE) >= 0 ? MAX_CONNECTION_AGE : MIN_CONNECTION_AGE;
  }

  /** Server TLS: ALPN h2, the workload's certificate, any mesh client's certificate required. */
  /** OpenSSL (BoringSSL, from netty-tcnative) when it loads on this platform, else the JDK. */
  static final SslProvider PROVIDER = OpenSsl.isAvailable() ? SslProvider.OPENSSL
      : SslProvider.JDK;

  static SslContext sslContext(WorkloadIdentity identity) {
    try {
      // BoringSSL seals and opens records at a fraction of the JDK engine's CPU; it asks our
      // key manager for the current certificate at each handshake and calls our trust manager
      // for each client chain, so rotation and SPIFFE checks work the same on both
      return GrpcSslContexts.configure(SslContextBuilder.forServer(new MeshKeyManager(identity))
              .trustManager(new SpiffeTrustManager(identity, PeerCheck.ANY, PeerCheck.ANY))
              .clientAuth(ClientAuth.REQUIRE), PROVIDER)
          .build();
    } catch (SSLException e) {
      throw new IllegalStateException("server TLS for " + identity.id() + ": " + e.getMessage(),
          e);
    }
  }
}
