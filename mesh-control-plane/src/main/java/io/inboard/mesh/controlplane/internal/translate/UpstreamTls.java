package io.inboard.mesh.controlplane.internal.translate;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateProviderPluginInstance;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.inboard.mesh.api.internal.MeshXdsNames;
import io.inboard.mesh.controlplane.internal.model.ClientTls;
import io.inboard.mesh.controlplane.internal.model.CredentialLookup;
import java.util.List;
import java.util.Optional;

/**
 * A cluster's client TLS as istiod writes it ({@code cluster_tls.go buildUpstreamTLSSettings}),
 * and the metadata that tells data planes and config dumps which mode was chosen and how.
 *
 * <p>ISTIO_MUTUAL names the certificate-provider instances of the mesh's identity ({@value
 * MeshXdsNames#IDENTITY_PROVIDER}) and roots ({@value MeshXdsNames#ROOT_PROVIDER}), the only form
 * grpc-xds accepts (gRFC A29); SIMPLE and MUTUAL name files, or carry a {@code credentialName}
 * Secret's PEM inline, which only HTTP clients read.
 */
final class UpstreamTls {
  static final String TRANSPORT_SOCKET = "envoy.transport_sockets.tls";

  private UpstreamTls() {}

  /**
   * Sets {@code c}'s transport socket (none for DISABLE) and metadata.
   *
   * @param auto whether auto-mTLS chose {@code tls} (no DestinationRule sets it)
   * @param identities for ISTIO_MUTUAL without {@code subjectAltNames}: the SPIFFE IDs the
   *     server may present, sorted; empty to accept any the mesh CA signed
   * @param defaultSni for ISTIO_MUTUAL without {@code sni}: Istio's {@code
   *     outbound_.<port>_.<subset>_.<host>}
   * @param credential for SIMPLE/MUTUAL with {@code credentialName}: what its Secret held, put
   *     inline in place of the files; when incomplete, no certificates at all and {@value
   *     MeshXdsNames#TLS_UNAVAILABLE} says why
   */
  static void apply(Cluster.Builder c, ClientTls tls, boolean auto, List<String> identities,
      String defaultSni, Optional<CredentialLookup.Found> credential) {
    Struct.Builder meta = Struct.newBuilder()
        .putFields(MeshXdsNames.TLS_MODE, Value.newBuilder()
            .setStringValue(tls.mode().name()).build())
        .putFields(MeshXdsNames.AUTO_MTLS, Value.newBuilder().setBoolValue(auto).build());
    credential.filter(f -> !f.complete()).ifPresent(f -> meta.putFields(
        MeshXdsNames.TLS_UNAVAILABLE, Value.newBuilder().setStringValue("credentialName '"
            + tls.credentialName() + "': " + String.join("; ", f.problems())).build()));
    c.setMetadata(Metadata.newBuilder().putFilterMetadata(MeshXdsNames.METADATA_FILTER, meta
        .build()));
    if (tls.mode() == ClientTls.Mode.DISABLE) {
      return;
    }
    UpstreamTlsContext.Builder ctx = UpstreamTlsContext.newBuilder();
    CommonTlsContext.Builder common = CommonTlsContext.newBuilder();
    if (tls.mode() == ClientTls.Mode.ISTIO_MUTUAL) {
      ctx.setSni(tls.sni().isEmpty() ? defaultSni : tls.sni());
      common.setTlsCertificateProviderInstance(instance(MeshXdsNames.IDENTITY_PROVIDER))
          .setValidationContext(CertificateValidationContext.newBuilder()
              .setCaCertificateProviderInstance(instance(MeshXdsNames.ROOT_PROVIDER))
              .addAllMatchSubjectAltNames(exact(tls.subjectAltNames().isEmpty() ? identities
                  : tls.subjectAltNames())));
    } else if (credential.isPresent()) {
      ctx.setSni(tls.sni());
      if (credential.get().complete()) {
        inline(common, tls, credential.get());
      }
    } else {
      ctx.setSni(tls.sni());
      if (tls.mode() == ClientTls.Mode.MUTUAL && !tls.clientCertificate().isEmpty()) {
        common.addTlsCertificates(TlsCertificate.newBuilder()
            .setCertificateChain(file(tls.clientCertificate()))
            .setPrivateKey(file(tls.privateKey())));
      }
      if (!tls.insecureSkipVerify()
          && (!tls.caCertificates().isEmpty() || !tls.subjectAltNames().isEmpty())) {
        CertificateValidationContext.Builder v = CertificateValidationContext.newBuilder()
            .addAllMatchSubjectAltNames(exact(tls.subjectAltNames()));
        if (!tls.caCertificates().isEmpty()) {
          v.setTrustedCa(file(tls.caCertificates()));
        }
        common.setValidationContext(v);
      }
    }
    c.setTransportSocket(TransportSocket.newBuilder().setName(TRANSPORT_SOCKET)
        .setTypedConfig(Any.pack(ctx.setCommonTlsContext(common).build())));
  }

  /** The credential's PEM as {@code inline_bytes}, in the places the files would go. */
  private static void inline(CommonTlsContext.Builder common, ClientTls tls,
      CredentialLookup.Found found) {
    if (found.certificateChain().isPresent()) {
      common.addTlsCertificates(TlsCertificate.newBuilder()
          .setCertificateChain(inline(found.certificateChain().get()))
          .setPrivateKey(inline(found.privateKey().orElseThrow())));
    }
    if (!tls.insecureSkipVerify()) {
      CertificateValidationContext.Builder v = CertificateValidationContext.newBuilder()
          .addAllMatchSubjectAltNames(exact(tls.subjectAltNames()));
      found.caCertificates().ifPresent(ca -> v.setTrustedCa(inline(ca)));
      common.setValidationContext(v);
    }
  }

  private static DataSource inline(String pem) {
    return DataSource.newBuilder().setInlineBytes(ByteString.copyFromUtf8(pem)).build();
  }

  static CertificateProviderPluginInstance instance(String name) {
    // Istio's proxyless bootstrap uses each name for both the instance and the certificate
    return CertificateProviderPluginInstance.newBuilder().setInstanceName(name)
        .setCertificateName(name).build();
  }

  private static List<StringMatcher> exact(List<String> names) {
    return names.stream().map(n -> StringMatcher.newBuilder().setExact(n).build()).toList();
  }

  private static DataSource file(String path) {
    return DataSource.newBuilder().setFilename(path).build();
  }
}
