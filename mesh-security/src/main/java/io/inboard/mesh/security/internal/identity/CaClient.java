package io.inboard.mesh.security.internal.identity;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.MetadataUtils;
import io.inboard.mesh.security.internal.caapi.IstioCertificateRequest;
import io.inboard.mesh.security.internal.caapi.IstioCertificateResponse;
import io.inboard.mesh.security.internal.caapi.IstioCertificateServiceGrpc;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Asks the mesh CA to sign a CSR: Istio's {@code IstioCertificateService/CreateCertificate} over
 * TLS (the CA's certificate checked against the mesh roots and its host name, as any TLS
 * server's), authenticated with {@code authorization: Bearer <token>}. The token file is read
 * for every request, because a projected Kubernetes token is rotated in place.
 */
final class CaClient implements AutoCloseable {
  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  /** How long one request may take, connection included. */
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

  private final String address;
  private final Path tokenFile;
  private final ManagedChannel channel;

  CaClient(String address, Path tokenFile, RootsTrustManager trust) {
    this.address = address;
    this.tokenFile = tokenFile;
    ChannelCredentials tls = TlsChannelCredentials.newBuilder().trustManager(trust).build();
    // an explicit scheme: mesh-grpc's own resolvers must never resolve the CA's address
    this.channel = Grpc.newChannelBuilder("dns:///" + address, tls).build();
  }

  /**
   * The chain the CA signed for {@code csr}, leaf first, as received.
   *
   * @throws IllegalStateException saying which CA failed and how
   */
  List<String> sign(String csr, Duration lifetime) {
    Metadata headers = new Metadata();
    headers.put(AUTHORIZATION, "Bearer " + token());
    IstioCertificateRequest request = IstioCertificateRequest.newBuilder()
        .setCsr(csr).setValidityDuration(Math.max(1, lifetime.toSeconds())).build();
    try {
      IstioCertificateResponse response = IstioCertificateServiceGrpc.newBlockingStub(channel)
          .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
          .withDeadlineAfter(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
          .createCertificate(request);
      return response.getCertChainList();
    } catch (StatusRuntimeException e) {
      // the identity retries on its own backoff; without this the channel's reconnect backoff
      // (up to 2 minutes) would fail those retries at once long after the CA is back
      channel.resetConnectBackoff();
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      // UNAVAILABLE says "io exception": the cause says which (refused, TLS, host name)
      throw new IllegalStateException("CA " + address + ": " + e.getStatus().getCode()
          + (e.getStatus().getDescription() == null ? "" : ": " + e.getStatus().getDescription())
          + (root == e ? "" : " (" + root + ")"), e);
    }
  }

  private String token() {
    try {
      String token = Files.readString(tokenFile, StandardCharsets.UTF_8).trim();
      if (token.isEmpty()) {
        throw new IllegalStateException("token file " + tokenFile
            + ": empty (expected: the workload's bearer token)");
      }
      return token;
    } catch (IOException e) {
      throw new IllegalStateException("token file " + tokenFile + ": cannot read it (" + e + ")",
          e);
    }
  }

  String address() {
    return address;
  }

  @Override
  public void close() {
    channel.shutdownNow();
  }
}
