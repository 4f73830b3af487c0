package io.inboard.mesh.http.internal.xds;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateProviderPluginInstance;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.inboard.mesh.api.internal.MeshXdsNames;
import io.inboard.mesh.http.internal.route.XdsStringMatch;
import io.inboard.mesh.http.internal.tls.UpstreamTls;
import io.inboard.mesh.security.internal.pki.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * A CDS Cluster's {@code transport_socket} as an {@link UpstreamTls}, as Inboard's control plane
 * (and istiod) write it:
 *
 * <ul>
 *   <li>none: plaintext;
 *   <li>{@code envoy.transport_sockets.tls} with an {@code UpstreamTlsContext} whose certificate
 *       comes from provider instance {@code default} and whose roots from {@code ROOTCA}: the
 *       mesh's mTLS (ISTIO_MUTUAL, auto-mTLS), {@code match_subject_alt_names} being exact
 *       SPIFFE IDs;
 *   <li>otherwise SIMPLE/MUTUAL: {@code tls_certificates} (MUTUAL), {@code
 *       validation_context.trusted_ca} (absent: the JDK's trust store), any {@code
 *       match_subject_alt_names} matchers and {@code sni}; no {@code validation_context} at all
 *       means {@code insecureSkipVerify}. Files are read when the cluster arrives; a later change
 *       to a file's content is seen at the next cluster update.
 * </ul>
 *
 * A cluster whose metadata carries {@link MeshXdsNames#TLS_UNAVAILABLE} (a {@code
 * credentialName} the control plane could not read) refuses its calls with that reason.
 *
 * <p>Anything else (SDS secrets, other provider instances, {@code transport_socket_matches}) is
 * refused with the field named, so the cluster is NACKed rather than called in plaintext.
 */
final class XdsUpstreamTls {

  static final String TLS_SOCKET = "envoy.transport_sockets.tls";

  private XdsUpstreamTls() {}

  /**
   * The TLS of {@code c}.
   *
   * @throws IllegalArgumentException naming the field that cannot be used
   */
  static UpstreamTls of(Cluster c) {
    String field = "cluster '" + c.getName() + "' ";
    if (c.getTransportSocketMatchesCount() > 0) {
      throw new IllegalArgumentException(field + "transport_socket_matches: "
          + c.getTransportSocketMatchesCount() + " entries (expected: none; one transport_socket"
          + " per cluster, as for proxyless gRPC)");
    }
    if (!c.hasTransportSocket()) {
      return UpstreamTls.PLAINTEXT;
    }
    Value unavailable = c.getMetadata().getFilterMetadataOrDefault(MeshXdsNames.METADATA_FILTER,
        Struct.getDefaultInstance()).getFieldsOrDefault(MeshXdsNames.TLS_UNAVAILABLE, null);
    if (unavailable != null) {
      return new UpstreamTls.Unavailable(unavailable.getStringValue());
    }
    field += "transport_socket";
    TransportSocket ts = c.getTransportSocket();
    UpstreamTlsContext utc;
    try {
      if (!ts.hasTypedConfig() || !ts.getTypedConfig().is(UpstreamTlsContext.class)) {
        throw new IllegalArgumentException(field + ": '" + ts.getName() + "' with "
            + (ts.hasTypedConfig() ? ts.getTypedConfig().getTypeUrl() : "no typed_config")
            + " (expected: " + TLS_SOCKET + " with an UpstreamTlsContext)");
      }
      utc = ts.getTypedConfig().unpack(UpstreamTlsContext.class);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException(field + ".typed_config: " + e.getMessage(), e);
    }
    field += ".common_tls_context";
    CommonTlsContext ctx = utc.getCommonTlsContext();
    if (ctx.getTlsCertificateSdsSecretConfigsCount() > 0 || ctx.hasValidationContextSdsSecretConfig()) {
      throw new IllegalArgumentException(field + ": SDS secret configs (expected: certificate"
          + " provider instances '" + MeshXdsNames.IDENTITY_PROVIDER + "'/'"
          + MeshXdsNames.ROOT_PROVIDER + "', or inline/file certificates)");
    }
    Optional<CertificateValidationContext> validation = validation(ctx, field);
    if (ctx.hasTlsCertificateProviderInstance()
        || validation.map(CertificateValidationContext::hasCaCertificateProviderInstance)
            .orElse(false)) {
      return istioMutual(ctx, validation, utc.getSni(), field);
    }
    return custom(ctx, validation, utc.getSni(), field);
  }

  private static Optional<CertificateValidationContext> validation(CommonTlsContext ctx,
      String field) {
    if (ctx.hasValidationContext()) {
      return Optional.of(ctx.getValidationContext());
    }
    if (ctx.hasCombinedValidationContext()) {
      var combined = ctx.getCombinedValidationContext();
      if (combined.hasValidationContextSdsSecretConfig()) {
        throw new IllegalArgumentException(field + ".combined_validation_context"
            + ".validation_context_sds_secret_config: set (expected: none)");
      }
      return Optional.of(combined.getDefaultValidationContext());
    }
    return Optional.empty();
  }

  private static UpstreamTls istioMutual(CommonTlsContext ctx,
      Optional<CertificateValidationContext> validation, String sni, String field) {
    instance(ctx.getTlsCertificateProviderInstance(), MeshXdsNames.IDENTITY_PROVIDER,
        field + ".tls_certificate_provider_instance");
    CertificateValidationContext v = validation.orElseThrow(() -> new IllegalArgumentException(
        field + ".validation_context: not set (expected: ca_certificate_provider_instance '"
            + MeshXdsNames.ROOT_PROVIDER + "' with the mesh certificate)"));
    instance(v.getCaCertificateProviderInstance(), MeshXdsNames.ROOT_PROVIDER,
        field + ".validation_context.ca_certificate_provider_instance");
    Set<String> ids = new LinkedHashSet<>();
    for (int i = 0; i < v.getMatchSubjectAltNamesCount(); i++) {
      StringMatcher m = v.getMatchSubjectAltNames(i);
      if (m.getMatchPatternCase() != StringMatcher.MatchPatternCase.EXACT || m.getIgnoreCase()) {
        throw new IllegalArgumentException(field + ".validation_context.match_subject_alt_names["
            + i + "]: " + m.getMatchPatternCase() + (m.getIgnoreCase() ? " ignore_case" : "")
            + " (expected: exact SPIFFE IDs for the mesh's mTLS)");
      }
      ids.add(m.getExact());
    }
    return new UpstreamTls.IstioMutual(ids, sni);
  }

  private static void instance(CertificateProviderPluginInstance p, String expected,
      String field) {
    if (!p.getInstanceName().equals(expected)) {
      throw new IllegalArgumentException(field + ".instance_name: '" + p.getInstanceName()
          + "' (expected: '" + expected + "')");
    }
  }

  private static UpstreamTls custom(CommonTlsContext ctx,
      Optional<CertificateValidationContext> validation, String sni, String field) {
    Optional<String> chain = Optional.empty();
    Optional<String> key = Optional.empty();
    if (ctx.getTlsCertificatesCount() > 1) {
      throw new IllegalArgumentException(field + ".tls_certificates: "
          + ctx.getTlsCertificatesCount() + " entries (expected: at most one)");
    }
    if (ctx.getTlsCertificatesCount() == 1) {
      TlsCertificate t = ctx.getTlsCertificates(0);
      String f = field + ".tls_certificates[0]";
      chain = Optional.of(read(t.getCertificateChain(), f + ".certificate_chain"));
      key = Optional.of(read(t.getPrivateKey(), f + ".private_key"));
      String chainPem = chain.get();
      String keyPem = key.get();
      checkPem(() -> Pem.certificates(chainPem), f + ".certificate_chain");
      checkPem(() -> Pem.privateKey(keyPem), f + ".private_key");
    }
    Optional<String> ca = Optional.empty();
    if (validation.isPresent() && validation.get().hasTrustedCa()) {
      String caPem = read(validation.get().getTrustedCa(), field + ".validation_context.trusted_ca");
      checkPem(() -> Pem.certificates(caPem), field + ".validation_context.trusted_ca");
      ca = Optional.of(caPem);
    }
    var sans = validation.map(CertificateValidationContext::getMatchSubjectAltNamesList)
        .orElse(java.util.List.of());
    for (int i = 0; i < sans.size(); i++) {
      // compiled once here so that a bad regex NACKs the cluster
      XdsStringMatch.of(sans.get(i), field + ".validation_context.match_subject_alt_names[" + i
          + "]");
    }
    return new UpstreamTls.Custom(chain, key, ca, validation.isPresent(), sans, sni);
  }

  private static String read(DataSource d, String field) {
    switch (d.getSpecifierCase()) {
      case FILENAME:
        try {
          return Files.readString(Path.of(d.getFilename()), StandardCharsets.US_ASCII);
        } catch (IOException e) {
          throw new IllegalArgumentException(field + ".filename: '" + d.getFilename()
              + "' cannot be read: " + e.getMessage() + " (expected: a readable PEM file)", e);
        }
      case INLINE_BYTES:
        return d.getInlineBytes().toString(StandardCharsets.US_ASCII);
      case INLINE_STRING:
        return d.getInlineString();
      default:
        throw new IllegalArgumentException(field + ": " + d.getSpecifierCase()
            + " (expected: filename, inline_bytes or inline_string with PEM)");
    }
  }

  private static void checkPem(Runnable parse, String field) {
    try {
      parse.run();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(field + ": " + e.getMessage(), e);
    }
  }
}
