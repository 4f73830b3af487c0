package io.inboard.mesh.controlplane.internal.translate;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import com.google.protobuf.ByteString;
import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsParameters;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.inboard.mesh.api.internal.MeshXdsNames;
import io.inboard.mesh.controlplane.ResourceId;
import io.inboard.mesh.controlplane.internal.model.CredentialLookup;
import io.inboard.mesh.controlplane.internal.model.GatewayHost;
import io.inboard.mesh.controlplane.internal.model.ParsedResource;
import io.inboard.mesh.controlplane.internal.model.ServerTls;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A gateway workload's Listeners (see {@link MeshXdsNames#GATEWAY_LISTENERS}): the index
 * Listener, whose {@code metadata.filter_metadata[io.inboard.mesh].listeners} lists the names
 * of the others, and one Listener {@code 0.0.0.0_<port>} per port. A port's plaintext servers
 * share one FilterChain whose HttpConnectionManager reads RDS {@code http.<port>}; each TLS
 * server has its own chain, matched by SNI ({@code server_names}, none for a {@code *} host),
 * with a DownstreamTlsContext (files as {@code filename}, a {@code credentialName} Secret's PEM
 * as {@code inline_bytes}, ALPN h2 and http/1.1, client certificates required for MUTUAL) and
 * RDS {@code https.<port>.<portName>.<gateway>.<namespace>}. A TLS server whose Secret is
 * missing or incomplete gets no chain (the store warns about it); the rest of the gateway is
 * served.
 */
final class GatewayListeners {
  private static final String TLS_SOCKET = "envoy.transport_sockets.tls";
  private static final String HCM_FILTER = "envoy.filters.network.http_connection_manager";

  private GatewayListeners() {}

  /**
   * @param namespace the gateway workload's namespace, where {@code credentialName} Secrets
   *     are looked up
   */
  static List<Listener> of(GatewayPorts ports, String namespace,
      Function<ResourceId, Optional<ParsedResource.Secret>> secrets) {
    List<Listener> out = new ArrayList<>();
    ListValue.Builder names = ListValue.newBuilder();
    for (GatewayPorts.Port p : ports.ports()) {
      List<FilterChain> chains = new ArrayList<>();
      if (!p.plaintext().isEmpty()) {
        String rds = p.plaintext().get(0).routeName();
        chains.add(FilterChain.newBuilder().setName(rds).addFilters(hcm(rds)).build());
      }
      for (GatewayPorts.Bound b : p.tls()) {
        tlsContext(b.server().tls().orElseThrow(), namespace, secrets).ifPresent(ctx ->
            chains.add(FilterChain.newBuilder().setName(b.routeName())
                .setFilterChainMatch(sni(b.server().hosts()))
                .setTransportSocket(TransportSocket.newBuilder().setName(TLS_SOCKET)
                    .setTypedConfig(Any.pack(ctx)))
                .addFilters(hcm(b.routeName())).build()));
      }
      if (chains.isEmpty()) {
        continue;
      }
      String name = XdsNames.gatewayListener(p.number());
      names.addValues(Value.newBuilder().setStringValue(name));
      out.add(Listener.newBuilder().setName(name)
          .setAddress(Address.newBuilder().setSocketAddress(SocketAddress.newBuilder()
              .setAddress("0.0.0.0").setPortValue(p.number())))
          .addAllFilterChains(chains).build());
    }
    out.add(0, Listener.newBuilder().setName(MeshXdsNames.GATEWAY_LISTENERS)
        .setMetadata(Metadata.newBuilder().putFilterMetadata(MeshXdsNames.METADATA_FILTER,
            Struct.newBuilder().putFields(MeshXdsNames.GATEWAY_LISTENER_NAMES,
                Value.newBuilder().setListValue(names).build()).build()))
        .build());
    return out;
  }

  /** The server names of TLS hosts; a {@code *} host matches any name, so it sets none. */
  private static FilterChainMatch sni(List<GatewayHost> hosts) {
    FilterChainMatch.Builder m = FilterChainMatch.newBuilder();
    if (hosts.stream().noneMatch(h -> h.dnsName().equals("*"))) {
      hosts.stream().map(GatewayHost::dnsName).distinct().forEach(m::addServerNames);
    }
    return m.build();
  }

  private static Filter hcm(String routeName) {
    HttpConnectionManager hcm = HttpConnectionManager.newBuilder()
        .setStatPrefix(routeName)
        .setRds(Rds.newBuilder().setRouteConfigName(routeName)
            .setConfigSource(ClusterTranslator.ADS))
        .addHttpFilters(HttpFilter.newBuilder().setName(RouteTranslator.FAULT_FILTER)
            .setTypedConfig(Any.pack(HTTPFault.getDefaultInstance())))
        .addHttpFilters(HttpFilter.newBuilder().setName("envoy.filters.http.router")
            .setTypedConfig(Any.pack(Router.getDefaultInstance())))
        .build();
    return Filter.newBuilder().setName(HCM_FILTER).setTypedConfig(Any.pack(hcm)).build();
  }

  /** The server's TLS, or empty when its {@code credentialName} cannot be read. */
  private static Optional<DownstreamTlsContext> tlsContext(ServerTls tls, String namespace,
      Function<ResourceId, Optional<ParsedResource.Secret>> secrets) {
    boolean mutual = tls.mode() == ServerTls.Mode.MUTUAL;
    CommonTlsContext.Builder common = CommonTlsContext.newBuilder()
        .addAlpnProtocols("h2").addAlpnProtocols("http/1.1");
    Optional<DataSource> ca;
    if (!tls.credentialName().isEmpty()) {
      CredentialLookup.Found found = CredentialLookup.findServer(mutual, tls.credentialName(),
          namespace, secrets);
      if (!found.complete()) {
        return Optional.empty();
      }
      common.addTlsCertificates(TlsCertificate.newBuilder()
          .setCertificateChain(inline(found.certificateChain().orElseThrow()))
          .setPrivateKey(inline(found.privateKey().orElseThrow())));
      ca = found.caCertificates().map(GatewayListeners::inline);
    } else {
      common.addTlsCertificates(TlsCertificate.newBuilder()
          .setCertificateChain(file(tls.serverCertificate()))
          .setPrivateKey(file(tls.privateKey())));
      ca = tls.caCertificates().isEmpty() ? Optional.empty()
          : Optional.of(file(tls.caCertificates()));
    }
    if (mutual) {
      CertificateValidationContext.Builder v = CertificateValidationContext.newBuilder();
      ca.ifPresent(v::setTrustedCa);
      tls.subjectAltNames().forEach(san -> v.addMatchSubjectAltNames(
          StringMatcher.newBuilder().setExact(san)));
      common.setValidationContext(v);
    }
    TlsParameters params = params(tls);
    if (!params.equals(TlsParameters.getDefaultInstance())) {
      common.setTlsParams(params);
    }
    return Optional.of(DownstreamTlsContext.newBuilder()
        .setRequireClientCertificate(BoolValue.of(mutual))
        .setCommonTlsContext(common).build());
  }

  private static TlsParameters params(ServerTls tls) {
    TlsParameters.Builder p = TlsParameters.newBuilder().addAllCipherSuites(tls.cipherSuites());
    if (!tls.minProtocolVersion().isEmpty()) {
      p.setTlsMinimumProtocolVersion(protocol(tls.minProtocolVersion()));
    }
    if (!tls.maxProtocolVersion().isEmpty()) {
      p.setTlsMaximumProtocolVersion(protocol(tls.maxProtocolVersion()));
    }
    return p.build();
  }

  /** Istio's {@code TLSV1_2} is Envoy's {@code TLSv1_2}. */
  private static TlsParameters.TlsProtocol protocol(String istio) {
    return TlsParameters.TlsProtocol.valueOf(istio.replace("TLSV", "TLSv"));
  }

  private static DataSource file(String path) {
    return DataSource.newBuilder().setFilename(path).build();
  }

  private static DataSource inline(String pem) {
    return DataSource.newBuilder().setInlineBytes(ByteString.copyFromUtf8(pem)).build();
  }
}
