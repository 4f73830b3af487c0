package io.inboard.mesh.security.internal.identity;

import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.TlsServerCredentials;
import io.grpc.stub.StreamObserver;
import io.inboard.mesh.security.SpiffeId;
import io.inboard.mesh.security.internal.caapi.IstioCertificateRequest;
import io.inboard.mesh.security.internal.caapi.IstioCertificateResponse;
import io.inboard.mesh.security.internal.caapi.IstioCertificateServiceGrpc;
import io.inboard.mesh.security.internal.pki.Certificates;
import io.inboard.mesh.security.internal.pki.Csrs;
import io.inboard.mesh.security.internal.pki.InMemoryAuthority;
import io.inboard.mesh.security.internal.pki.KeyAlgorithm;
import io.inboard.mesh.security.internal.pki.Pem;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A small mesh CA for tests: Istio's {@code IstioCertificateService} on loopback over TLS (its
 * certificate names {@code localhost}, {@code istiod.istio-system.svc} and {@code 127.0.0.1},
 * signed by its root), signing every CSR for {@link #identity} with the lifetime asked. It
 * records what it was sent, can be stopped and started again on the same port, and can be told
 * to answer wrongly.
 */
final class TestCa implements AutoCloseable {

  /** How the CA answers. */
  enum Answer { GOOD, WRONG_ID, OTHER_KEY, FOREIGN_ROOT, LEAF_ONLY }

  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  final InMemoryAuthority authority = InMemoryAuthority.create("test-ca");
  final List<String> authorizations = new CopyOnWriteArrayList<>();
  final List<IstioCertificateRequest> requests = new CopyOnWriteArrayList<>();
  final List<X509Certificate> issued = new CopyOnWriteArrayList<>();
  volatile SpiffeId identity;
  volatile Answer answer = Answer.GOOD;
  volatile String requiredToken;
  private final KeyPair serverKeys = KeyAlgorithm.EC_P256.generate();
  private final X509Certificate serverCert;
  private volatile Server server;
  private int port;

  TestCa(SpiffeId identity, GeneralName... serverNames) {
    this.identity = identity;
    this.serverCert = serverCertificate(serverNames.length > 0 ? serverNames : new GeneralName[] {
        new GeneralName(GeneralName.dNSName, "localhost"),
        new GeneralName(GeneralName.dNSName, "istiod.istio-system.svc"),
        new GeneralName(GeneralName.iPAddress, "127.0.0.1")});
  }

  /** Starts serving, on the port it had before if it was started before. */
  synchronized TestCa start() throws IOException {
    TlsServerCredentials.Builder tls = TlsServerCredentials.newBuilder().keyManager(
        stream(Pem.encode(List.of(serverCert, authority.root()))),
        stream(Pem.encode(serverKeys.getPrivate())));
    server = io.grpc.netty.NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port),
            tls.build())
        .addService(ServerInterceptors.intercept(new Service(), new RecordAuthorization()))
        .build().start();
    port = server.getPort();
    return this;
  }

  /** Stops serving (connections are cut). */
  synchronized void stop() throws InterruptedException {
    server.shutdownNow().awaitTermination();
  }

  String address() {
    return "127.0.0.1:" + port;
  }

  X509Certificate root() {
    return authority.root();
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }

  private final class RecordAuthorization implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
        ServerCallHandler<Q, R> next) {
      String auth = headers.get(AUTHORIZATION);
      authorizations.add(String.valueOf(auth));
      String required = requiredToken;
      if (required != null && !("Bearer " + required).equals(auth)) {
        call.close(Status.UNAUTHENTICATED.withDescription("bad token"), new Metadata());
        return new ServerCall.Listener<>() {};
      }
      return next.startCall(call, headers);
    }
  }

  private final class Service extends IstioCertificateServiceGrpc.IstioCertificateServiceImplBase {
    @Override
    public void createCertificate(IstioCertificateRequest request,
        StreamObserver<IstioCertificateResponse> response) {
      requests.add(request);
      PublicKey key = Csrs.verifiedPublicKey(request.getCsr());
      Answer a = answer;
      SpiffeId id = a == Answer.WRONG_ID
          ? SpiffeId.of(identity.trustDomain(), identity.namespace(), "someone-else") : identity;
      PublicKey certified = a == Answer.OTHER_KEY ? KeyAlgorithm.EC_P256.generate().getPublic()
          : key;
      InMemoryAuthority signer = a == Answer.FOREIGN_ROOT ? InMemoryAuthority.create("foreign")
          : authority;
      X509Certificate leaf = Certificates.leaf(id, certified,
          Duration.ofSeconds(request.getValidityDuration()), signer.root(),
          signer.keys().getPrivate());
      issued.add(leaf);
      IstioCertificateResponse.Builder b = IstioCertificateResponse.newBuilder()
          .addCertChain(Pem.encode(leaf));
      if (a != Answer.LEAF_ONLY) {
        b.addCertChain(Pem.encode(signer.root()));
      }
      response.onNext(b.build());
      response.onCompleted();
    }
  }

  private X509Certificate serverCertificate(GeneralName[] names) {
    try {
      Instant now = Instant.now();
      JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
          X500Name.getInstance(authority.root().getSubjectX500Principal().getEncoded()),
          BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minusSeconds(60)),
          Date.from(now.plus(Duration.ofDays(1))), new X500Name("CN=istiod"),
          serverKeys.getPublic());
      b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
      b.addExtension(Extension.extendedKeyUsage, false,
          new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
      return new JcaX509CertificateConverter().getCertificate(b.build(
          new JcaContentSignerBuilder("SHA256withECDSA").build(authority.keys().getPrivate())));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static ByteArrayInputStream stream(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.US_ASCII));
  }
}
