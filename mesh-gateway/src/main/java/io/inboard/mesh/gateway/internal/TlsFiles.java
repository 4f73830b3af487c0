package io.inboard.mesh.gateway.internal;

import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;

/**
 * A chain's DownstreamTlsContext as a Netty server context: certificate chain and key, and for
 * MUTUAL ({@code require_client_certificate}) the {@code trusted_ca} that client certificates
 * must chain to; ALPN offers {@code h2} and {@code http/1.1}. Each DataSource is a
 * {@code filename} (read from disk; {@link #modified} tells when to read it again),
 * {@code inline_bytes} or {@code inline_string}.
 */
final class TlsFiles {

  private TlsFiles() {}

  /**
   * @param files every file read, with its modification time then (added to)
   * @throws IllegalArgumentException naming {@code field} and the source that cannot be used
   */
  static SslContext context(DownstreamTlsContext tls, String field, Map<Path, FileTime> files) {
    CommonTlsContext common = tls.getCommonTlsContext();
    TlsCertificate cert = common.getTlsCertificates(0);
    byte[] chain = read(cert.getCertificateChain(), field + " tls_certificates[0].certificate_chain",
        files);
    byte[] key = read(cert.getPrivateKey(), field + " tls_certificates[0].private_key", files);
    boolean mutual = tls.getRequireClientCertificate().getValue();
    try {
      SslContextBuilder b = SslContextBuilder.forServer(new ByteArrayInputStream(chain),
              new ByteArrayInputStream(key))
          .applicationProtocolConfig(new ApplicationProtocolConfig(
              ApplicationProtocolConfig.Protocol.ALPN,
              ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
              ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
              ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1));
      if (common.hasValidationContext() && common.getValidationContext().hasTrustedCa()) {
        byte[] ca = read(common.getValidationContext().getTrustedCa(),
            field + " validation_context.trusted_ca", files);
        b.trustManager(new ByteArrayInputStream(ca));
        b.clientAuth(mutual ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL);
      } else if (mutual) {
        throw new IllegalArgumentException(field + " validation_context.trusted_ca: not set"
            + " while require_client_certificate is true (expected: the client CAs)");
      }
      return b.build();
    } catch (IOException | RuntimeException e) {
      if (e instanceof IllegalArgumentException iae && iae.getMessage() != null
          && iae.getMessage().startsWith(field)) {
        throw iae;
      }
      throw new IllegalArgumentException(field + ": " + e.getMessage()
          + " (expected: PEM certificate chain and PKCS#8 or PKCS#1 private key)", e);
    }
  }

  private static byte[] read(DataSource s, String field, Map<Path, FileTime> files) {
    switch (s.getSpecifierCase()) {
      case FILENAME -> {
        Path p = Path.of(s.getFilename());
        try {
          files.put(p, Files.getLastModifiedTime(p));
          return Files.readAllBytes(p);
        } catch (IOException e) {
          throw new IllegalArgumentException(field + " filename '" + p + "': cannot be read ("
              + e + ")");
        }
      }
      case INLINE_BYTES -> {
        return s.getInlineBytes().toByteArray();
      }
      case INLINE_STRING -> {
        return s.getInlineString().getBytes(StandardCharsets.UTF_8);
      }
      default -> throw new IllegalArgumentException(field + ": " + s.getSpecifierCase()
          + " (expected: filename, inline_bytes or inline_string)");
    }
  }

  /** Whether any of {@code files} changed since it was read. */
  static boolean modified(Map<Path, FileTime> files) {
    for (Map.Entry<Path, FileTime> e : files.entrySet()) {
      try {
        if (!Files.getLastModifiedTime(e.getKey()).equals(e.getValue())) {
          return true;
        }
      } catch (IOException gone) {
        // a file being replaced (Kubernetes swaps a symlink): look again at the next check
      }
    }
    return false;
  }
}
