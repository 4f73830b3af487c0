package io.inboard.mesh.controlplane.ca;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.MetadataUtils;
import io.inboard.mesh.security.SpiffeId;
import io.inboard.mesh.security.internal.caapi.IstioCertificateRequest;
import io.inboard.mesh.security.internal.caapi.IstioCertificateResponse;
import io.inboard.mesh.security.internal.caapi.IstioCertificateServiceGrpc;
import io.inboard.mesh.security.internal.pki.Csrs;
import io.inboard.mesh.security.internal.pki.KeyAlgorithm;
import io.inboard.mesh.security.internal.pki.Pem;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Calls the CA API over real gRPC, as a workload would: TLS to the secure port, a bearer token. */
final class CaClient implements AutoCloseable {
  private final ManagedChannel channel;

  private CaClient(ManagedChannel channel) {
    this.channel = channel;
  }

  /** A TLS channel to {@code 127.0.0.1:port} that trusts {@code roots}. */
  static CaClient tls(int port, List<X509Certificate> roots) {
    try {
      ChannelCredentials creds = TlsChannelCredentials.newBuilder().trustManager(
          new ByteArrayInputStream(Pem.encode(roots).getBytes(StandardCharsets.US_ASCII)))
          .build();
      return new CaClient(Grpc.newChannelBuilderForAddress("127.0.0.1", port, creds).build());
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A plaintext channel to {@code 127.0.0.1:port}. */
  static CaClient plaintext(int port) {
    return new CaClient(Grpc.newChannelBuilderForAddress("127.0.0.1", port,
        InsecureChannelCredentials.create()).build());
  }

  /** Asks for a certificate for {@code asked} with a fresh key, proving {@code token}. */
  List<X509Certificate> sign(String token, SpiffeId asked, KeyAlgorithm algorithm,
      long validitySeconds) {
    KeyPair keys = algorithm.generate();
    return Pem.certificates(String.join("", call("Bearer " + token, Csrs.create(keys, asked),
        validitySeconds).getCertChainList()));
  }

  /** The raw call; {@code token} null sends no authorization metadata. */
  IstioCertificateResponse call(String token, String csr, long validitySeconds) {
    var stub = IstioCertificateServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(20, TimeUnit.SECONDS);
    if (token != null) {
      Metadata md = new Metadata();
      md.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), token);
      stub = stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md));
    }
    return stub.createCertificate(IstioCertificateRequest.newBuilder().setCsr(csr)
        .setValidityDuration(validitySeconds).build());
  }

  @Override
  public void close() {
    channel.shutdownNow();
  }
}
