package io.inboard.mesh.controlplane.internal.parse;

import io.inboard.mesh.controlplane.internal.model.ClientTls;
import java.util.List;
import java.util.Optional;

/**
 * Reads a DestinationRule's {@code tls} ({@code ClientTLSSettings}) with Istio's rules: MUTUAL
 * needs a client certificate and key (or a credentialName), and ISTIO_MUTUAL takes no files,
 * since the mesh's certificates are used. A {@code credentialName} Secret is looked up when the
 * rule is translated (see {@code CredentialLookup}); it replaces the files, as in Istio.
 */
final class ClientTlsParser {
  private static final List<String> MODES = List.of("DISABLE", "SIMPLE", "MUTUAL",
      "ISTIO_MUTUAL");

  private ClientTlsParser() {}

  static Optional<ClientTls> parse(Node n, Warnings warnings) {
    if (!n.present()) {
      return Optional.empty();
    }
    IstioFields.CLIENT_TLS.check(n, warnings);
    String modeText = SecurityNodes.oneOf(n.get("mode"), MODES);
    // Istio's default mode (the enum's zero) is DISABLE
    ClientTls.Mode mode = modeText.isEmpty() ? ClientTls.Mode.DISABLE
        : ClientTls.Mode.valueOf(modeText);
    SecurityNodes.bool(n.get("insecureSkipVerify"));
    ClientTls tls = new ClientTls(mode, text(n, "clientCertificate"), text(n, "privateKey"),
        text(n, "caCertificates"), text(n, "credentialName"),
        SecurityNodes.strings(n.get("subjectAltNames")), text(n, "sni"),
        Boolean.TRUE.equals(n.get("insecureSkipVerify").value()));
    check(n, tls, warnings);
    return Optional.of(tls);
  }

  private static void check(Node n, ClientTls tls, Warnings warnings) {
    switch (tls.mode()) {
      case ISTIO_MUTUAL -> {
        for (String field : List.of("clientCertificate", "privateKey", "caCertificates",
            "credentialName")) {
          if (n.get(field).present()) {
            throw n.get(field).fail("no " + field + " with mode ISTIO_MUTUAL, which uses the"
                + " mesh's certificates; mode SIMPLE or MUTUAL to use files");
          }
        }
      }
      case MUTUAL -> {
        if (tls.credentialName().isEmpty()) {
          for (String field : List.of("clientCertificate", "privateKey")) {
            SecurityNodes.required(n.get(field), "a file path for mode MUTUAL, or"
                + " credentialName");
          }
        }
        grpcWarning(n, tls, warnings);
      }
      case SIMPLE -> grpcWarning(n, tls, warnings);
      case DISABLE -> { }
    }
  }

  /** grpc-xds accepts certificate-provider instances only, not files (a current limitation). */
  private static void grpcWarning(Node n, ClientTls tls, Warnings warnings) {
    warnings.add(n.get("mode").path(), "honoured by HTTP clients only: gRPC clients (grpc-xds)"
        + " take certificates from certificate-provider instances, not the files or Secret of"
        + " mode " + tls.mode() + ", so they reject this cluster; use ISTIO_MUTUAL for gRPC"
        + " destinations");
  }

  private static String text(Node n, String field) {
    return n.get(field).optString().orElse("");
  }
}
