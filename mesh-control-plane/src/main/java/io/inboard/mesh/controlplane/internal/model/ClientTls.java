package io.inboard.mesh.controlplane.internal.model;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A DestinationRule's {@code trafficPolicy.tls} ({@code ClientTLSSettings}): how clients
 * connect to the destination's endpoints.
 *
 * @param mode how: ISTIO_MUTUAL uses the mesh's certificates, SIMPLE and MUTUAL the files named
 * @param clientCertificate the client certificate file (MUTUAL), or {@code ""}
 * @param privateKey the client key file (MUTUAL), or {@code ""}
 * @param caCertificates the file of CA certificates that verify the server, or {@code ""}
 * @param credentialName a Kubernetes Secret holding the above, or {@code ""}
 * @param subjectAltNames the server identities accepted; empty for any that the CA signed
 *     (ISTIO_MUTUAL: the service accounts of the endpoints)
 * @param sni the SNI sent, or {@code ""} for the default
 * @param insecureSkipVerify whether the server certificate goes unchecked
 */
public record ClientTls(Mode mode, String clientCertificate, String privateKey,
    String caCertificates, String credentialName, List<String> subjectAltNames, String sni,
    boolean insecureSkipVerify) {

  /** Istio's {@code ClientTLSSettings.TLSmode}. */
  public enum Mode { DISABLE, SIMPLE, MUTUAL, ISTIO_MUTUAL }

  public ClientTls {
    requireNonNull(mode, "mode");
    requireNonNull(clientCertificate, "clientCertificate");
    requireNonNull(privateKey, "privateKey");
    requireNonNull(caCertificates, "caCertificates");
    requireNonNull(credentialName, "credentialName");
    subjectAltNames = List.copyOf(subjectAltNames);
    requireNonNull(sni, "sni");
  }

  /** Mesh mTLS with the defaults: SANs of the endpoints' service accounts, Istio's SNI. */
  public static ClientTls istioMutual() {
    return new ClientTls(Mode.ISTIO_MUTUAL, "", "", "", "", List.of(), "", false);
  }

  /** Plaintext. */
  public static ClientTls disabled() {
    return new ClientTls(Mode.DISABLE, "", "", "", "", List.of(), "", false);
  }
}
