package io.inboard.mesh.grpc.mtls;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.context.RequestContext;
import io.inboard.mesh.api.discovery.StaticDiscovery;
import io.inboard.mesh.grpc.MeshGrpc;
import io.inboard.mesh.security.SpiffeId;
import io.inboard.mesh.security.internal.identity.IdentityMaterial;
import io.inboard.mesh.security.internal.identity.InMemoryIdentity;
import io.inboard.mesh.security.internal.identity.MeshIdentity;
import io.inboard.mesh.security.internal.inbound.InboundMtls;
import io.inboard.mesh.security.internal.inbound.InboundMtlsPolicy;
import io.inboard.mesh.security.internal.inbound.MtlsMode;
import io.inboard.mesh.security.internal.pki.InMemoryAuthority;
import io.inboard.mesh.security.internal.tls.MeshKeyManager;
import io.inboard.mesh.security.internal.tls.PeerCheck;
import io.inboard.mesh.security.internal.tls.SpiffeTrustManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;

/** Identities, mesh servers and plain (non-xDS) clients for the mTLS tests, all on loopback. */
final class MtlsWorkloads {

  static final InMemoryAuthority MESH_CA = InMemoryAuthority.create("cluster.local");
  static final SpiffeId REVIEWS = SpiffeId.of("cluster.local", "default", "bookinfo-reviews");
  static final SpiffeId PRODUCTPAGE =
      SpiffeId.of("cluster.local", "default", "bookinfo-productpage");

  private MtlsWorkloads() {}

  /** A mesh for workload {@code workload} of app {@code app}, with no identity yet. */
  static Mesh mesh(String app, String workload) {
    return Mesh.builder().workloadName(workload).namespace("default").label("app", app)
        .label("version", "v1").discovery(new StaticDiscovery()).adminPort(0).build();
  }

  /** Gives {@code mesh} identity {@code id}, issued by {@code ca} for an hour. */
  static InMemoryIdentity identity(Mesh mesh, SpiffeId id, InMemoryAuthority ca) {
    return identity(mesh, ca.issue(id, Duration.ofHours(1)));
  }

  /** Gives {@code mesh} the identity of {@code material}. */
  static InMemoryIdentity identity(Mesh mesh, IdentityMaterial material) {
    InMemoryIdentity identity = new InMemoryIdentity(material.id());
    identity.update(material);
    MeshIdentity.install(mesh, identity);
    return identity;
  }

  /** Every port of {@code mesh}'s workload in {@code mode}. */
  static void mode(Mesh mesh, MtlsMode mode) {
    InboundMtls.of(mesh).set(new InboundMtlsPolicy(mode, Map.of()));
  }

  /** A mesh server on 127.0.0.1 answering {@code unaryRpc} with the caller's SPIFFE ID. */
  static Server echoServer(Mesh mesh) throws IOException {
    return MeshGrpc.serverBuilder(mesh, new InetSocketAddress("127.0.0.1", 0))
        .addService(new PrincipalEcho()).build().start();
  }

  static ManagedChannel plaintext(Server server) {
    return channel(server, InsecureChannelCredentials.create());
  }

  /** A TLS client presenting {@code identity}'s certificate and trusting its roots. */
  static ManagedChannel mtls(Server server, InMemoryIdentity identity) {
    return channel(server, TlsChannelCredentials.newBuilder()
        .keyManager(new MeshKeyManager(identity))
        .trustManager(new SpiffeTrustManager(identity, PeerCheck.ANY, PeerCheck.ANY)).build());
  }

  /** A TLS client without a certificate of its own. */
  static ManagedChannel tlsWithoutCertificate(Server server, InMemoryIdentity trust) {
    return channel(server, TlsChannelCredentials.newBuilder()
        .trustManager(new SpiffeTrustManager(trust, PeerCheck.ANY, PeerCheck.ANY)).build());
  }

  private static ManagedChannel channel(Server server, ChannelCredentials credentials) {
    return Grpc.newChannelBuilderForAddress("127.0.0.1", server.getPort(), credentials).build();
  }

  /** What the server saw as the caller: its SPIFFE ID, or {@code ""} on plaintext. */
  static String call(ManagedChannel channel) {
    return SimpleServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(Duration.ofSeconds(5))
        .unaryRpc(SimpleRequest.getDefaultInstance()).getResponseMessage();
  }

  /** Answers with {@link RequestContext#peerPrincipal()}. */
  static final class PrincipalEcho extends SimpleServiceGrpc.SimpleServiceImplBase {
    @Override
    public void unaryRpc(SimpleRequest request, StreamObserver<SimpleResponse> out) {
      out.onNext(SimpleResponse.newBuilder()
          .setResponseMessage(RequestContext.current().peerPrincipal()).build());
      out.onCompleted();
    }
  }
}
