package io.inboard.mesh.controlplane.internal.model;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A Gateway server's {@code tls}, as Istio's {@code ServerTLSSettings}.
 *
 * @param httpsRedirect whether plaintext requests are answered with a redirect to https
 *     ({@code require_tls: ALL} on the server's virtual hosts)
 * @param mode how connections are terminated; {@link Mode#NONE} when only {@code
 *     httpsRedirect} is set
 * @param credentialName the Secret holding the certificate (and for MUTUAL the CA), looked up in
 *     the gateway workload's namespace; {@code ""} when the files below are used
 * @param serverCertificate the certificate chain file on the gateway, or {@code ""}
 * @param privateKey the private key file on the gateway, or {@code ""}
 * @param caCertificates the file of CAs that client certificates must chain to, or {@code ""}
 * @param subjectAltNames the names a client certificate must carry (MUTUAL); empty for any
 * @param minProtocolVersion {@code TLSV1_2} etc., or {@code ""} for the default
 * @param maxProtocolVersion {@code TLSV1_3} etc., or {@code ""} for the default
 * @param cipherSuites OpenSSL-style names; empty for the default
 */
public record ServerTls(boolean httpsRedirect, Mode mode, String credentialName,
    String serverCertificate, String privateKey, String caCertificates,
    List<String> subjectAltNames, String minProtocolVersion, String maxProtocolVersion,
    List<String> cipherSuites) {

  /** Istio's {@code ServerTLSSettings.TLSmode}, plus NONE for a redirect-only {@code tls}. */
  public enum Mode {
    NONE, SIMPLE, MUTUAL, PASSTHROUGH, AUTO_PASSTHROUGH, ISTIO_MUTUAL, OPTIONAL_MUTUAL;

    /** Whether the gateway terminates TLS in this mode with its own certificate. */
    public boolean terminates() {
      return this == SIMPLE || this == MUTUAL;
    }
  }

  public ServerTls {
    requireNonNull(mode, "mode");
    requireNonNull(credentialName, "credentialName");
    requireNonNull(serverCertificate, "serverCertificate");
    requireNonNull(privateKey, "privateKey");
    requireNonNull(caCertificates, "caCertificates");
    subjectAltNames = List.copyOf(subjectAltNames);
    requireNonNull(minProtocolVersion, "minProtocolVersion");
    requireNonNull(maxProtocolVersion, "maxProtocolVersion");
    cipherSuites = List.copyOf(cipherSuites);
  }
}
