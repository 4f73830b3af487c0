package io.inboard.mesh.controlplane.internal.parse;

import io.inboard.mesh.controlplane.internal.model.ServerTls;
import java.util.List;
import java.util.Set;

/**
 * Reads a Gateway server's {@code tls} and checks it as Istio's validation does: SIMPLE and
 * MUTUAL need a certificate (files, or a {@code credentialName} Secret), MUTUAL also the CA
 * that client certificates chain to; ISTIO_MUTUAL takes no certificates. Modes the gateway does
 * not terminate are accepted and warned about by {@link GatewayParser}.
 */
final class ServerTlsParser {
  /** {@code ServerTLSSettings.TLSProtocol}. */
  static final Set<String> PROTOCOL_VERSIONS = Set.of("TLS_AUTO", "TLSV1_0", "TLSV1_1",
      "TLSV1_2", "TLSV1_3");

  private ServerTlsParser() {}

  /**
   * @param plaintext whether the server's protocol is plaintext HTTP, where only {@code
   *     httpsRedirect} may be set
   */
  static ServerTls parse(Node tls, boolean plaintext, Warnings warnings) {
    IstioFields.SERVER_TLS.check(tls, warnings);
    boolean redirect = bool(tls.get("httpsRedirect"));
    Node modeNode = tls.get("mode");
    ServerTls.Mode mode;
    if (!modeNode.present()) {
      // the proto's zero value is PASSTHROUGH; on a plaintext server it means "redirect only"
      mode = plaintext ? ServerTls.Mode.NONE : ServerTls.Mode.PASSTHROUGH;
    } else {
      try {
        mode = ServerTls.Mode.valueOf(modeNode.string());
      } catch (IllegalArgumentException e) {
        mode = null;
      }
      if (mode == null || mode == ServerTls.Mode.NONE) {
        throw modeNode.fail("one of SIMPLE, MUTUAL, PASSTHROUGH, AUTO_PASSTHROUGH,"
            + " ISTIO_MUTUAL, OPTIONAL_MUTUAL");
      }
    }
    String credentialName = text(tls, "credentialName");
    String cert = text(tls, "serverCertificate");
    String key = text(tls, "privateKey");
    String ca = text(tls, "caCertificates");
    boolean certificates = !cert.isEmpty() || !key.isEmpty() || !ca.isEmpty()
        || !credentialName.isEmpty();
    if (plaintext && ((mode != ServerTls.Mode.NONE && mode != ServerTls.Mode.PASSTHROUGH)
        || certificates)) {
      throw (modeNode.present() ? modeNode : tls).fail("only httpsRedirect on a plaintext"
          + " HTTP server (use protocol HTTPS to terminate TLS)");
    }
    if (mode == ServerTls.Mode.ISTIO_MUTUAL && certificates) {
      throw modeNode.fail("no credentialName, serverCertificate, privateKey or"
          + " caCertificates with mode ISTIO_MUTUAL, which uses the mesh certificate");
    }
    if (!credentialName.isEmpty() && (!cert.isEmpty() || !key.isEmpty())) {
      throw tls.get("credentialName").fail("either credentialName or serverCertificate and"
          + " privateKey, not both");
    }
    if (mode.terminates() && credentialName.isEmpty()) {
      if (cert.isEmpty()) {
        throw tls.get("serverCertificate").fail("a certificate file path, or credentialName,"
            + " for mode " + mode);
      }
      if (key.isEmpty()) {
        throw tls.get("privateKey").fail("a private key file path, or credentialName, for"
            + " mode " + mode);
      }
      if (mode == ServerTls.Mode.MUTUAL && ca.isEmpty()) {
        throw tls.get("caCertificates").fail("a CA file path that client certificates chain"
            + " to, or credentialName, for mode MUTUAL");
      }
    }
    List<String> sans = tls.get("subjectAltNames").list().stream().map(Node::string).toList();
    List<String> ciphers = tls.get("cipherSuites").list().stream().map(Node::string).toList();
    return new ServerTls(redirect, mode, credentialName, cert, key, ca, sans,
        version(tls.get("minProtocolVersion")), version(tls.get("maxProtocolVersion")),
        ciphers);
  }

  private static String version(Node n) {
    String v = n.optString().orElse("");
    if (!v.isEmpty() && !PROTOCOL_VERSIONS.contains(v)) {
      throw n.fail("one of TLS_AUTO, TLSV1_0, TLSV1_1, TLSV1_2, TLSV1_3");
    }
    return v.equals("TLS_AUTO") ? "" : v;
  }

  private static boolean bool(Node n) {
    if (!n.present()) {
      return false;
    }
    String v = n.optString().orElse("");
    if (!v.equals("true") && !v.equals("false")) {
      throw n.fail("true or false");
    }
    return v.equals("true");
  }

  private static String text(Node tls, String field) {
    return tls.get(field).optString().orElse("");
  }
}
