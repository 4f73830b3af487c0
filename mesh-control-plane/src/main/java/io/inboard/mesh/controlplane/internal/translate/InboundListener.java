package io.inboard.mesh.controlplane.internal.translate;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import com.google.protobuf.Struct;
import com.google.protobuf.UInt32Value;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.NonForwardingAction;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.inboard.mesh.api.internal.MeshXdsNames;
import io.inboard.mesh.api.internal.telemetry.policy.TelemetrySource;
import io.inboard.mesh.api.internal.telemetry.policy.TraceExporter;
import io.inboard.mesh.controlplane.internal.model.MtlsMode;
import io.inboard.mesh.security.internal.authz.PolicySource;
import io.inboard.mesh.security.internal.inbound.SecurityPolicyWire;
import io.inboard.mesh.security.internal.inbound.TelemetryWire;
import java.util.List;
import java.util.TreeMap;

/**
 * The inbound Listener a workload is served, {@value MeshXdsNames#VIRTUAL_INBOUND}: how it
 * must accept calls, by port, from its PeerAuthentications.
 *
 * <p>One FilterChain per port its workload policy's {@code portLevelMtls} names ({@code
 * filter_chain_match.destination_port}, a workload port), in port order, then one default
 * chain without a match for every other port. Each chain carries the effective mode in {@code
 * filter_metadata["io.inboard.mesh"].mtlsMode}, because grpc-xds cannot tell PERMISSIVE from
 * DISABLE by chains (neither has a TLS context; the server's negotiator must know which). A
 * STRICT chain also carries a DownstreamTlsContext that requires a client certificate, with
 * the certificate-provider instances of Istio's proxyless bootstrap. The HttpConnectionManager
 * is grpc-xds's server shape (the router and an inline route that does not forward); Inboard
 * reads only the metadata and the port. Like Istio's, the listener is bound to 0.0.0.0:15006,
 * but data planes apply it to the ports they serve.
 *
 * <p>The listener's own {@code metadata.filter_metadata["io.inboard.mesh"]} carries the
 * AuthorizationPolicies and RequestAuthentications that apply to the workload, as written (see
 * {@link SecurityPolicyWire}); both lists are always written, empty when none applies, so that
 * a workload can tell "no policy" from a control plane that sends none. They are not RBAC
 * filters: grpc-xds RBAC cannot match JWT identities, and workloads enforce both kinds with one
 * evaluator. The same metadata carries the workload's Telemetries, in precedence order, and
 * the mesh config's tracing providers (see {@link TelemetryWire}), also always written.
 */
final class InboundListener {
  private static final int ISTIO_INBOUND_PORT = 15006;

  private InboundListener() {}

  /**
   * Everything an inbound listener is built from, compared by value: workloads whose inputs
   * are equal are served one listener instance, kept from one translation to the next.
   */
  record Inputs(PeerAuthentications.InboundModes modes, List<PolicySource> authorizationPolicies,
      List<PolicySource> requestAuthentications, List<TelemetrySource> telemetry,
      List<TraceExporter> exporters) {

    Listener listener() {
      return of(modes, authorizationPolicies, requestAuthentications, telemetry, exporters);
    }
  }

  static Listener of(PeerAuthentications.InboundModes modes,
      List<PolicySource> authorizationPolicies, List<PolicySource> requestAuthentications,
      List<TelemetrySource> telemetry, List<TraceExporter> exporters) {
    Struct.Builder ours = SecurityPolicyWire.write(Struct.newBuilder(), authorizationPolicies,
        requestAuthentications);
    TelemetryWire.write(ours, telemetry, exporters);
    Listener.Builder l = Listener.newBuilder().setName(MeshXdsNames.VIRTUAL_INBOUND)
        .setMetadata(Metadata.newBuilder().putFilterMetadata(MeshXdsNames.METADATA_FILTER,
            ours.build()))
        .setTrafficDirection(TrafficDirection.INBOUND)
        .setAddress(Address.newBuilder().setSocketAddress(SocketAddress.newBuilder()
            .setAddress("0.0.0.0").setPortValue(ISTIO_INBOUND_PORT)));
    new TreeMap<>(modes.ports()).forEach((port, mode) -> l.addFilterChains(
        chain("inbound|" + port, mode).setFilterChainMatch(FilterChainMatch.newBuilder()
            .setDestinationPort(UInt32Value.of(port)))));
    l.addFilterChains(chain("inbound|default", modes.workload()));
    return l.build();
  }

  private static FilterChain.Builder chain(String name, MtlsMode mode) {
    FilterChain.Builder c = FilterChain.newBuilder().setName(name)
        .setMetadata(Metadata.newBuilder().putFilterMetadata(MeshXdsNames.METADATA_FILTER,
            Struct.newBuilder().putFields(MeshXdsNames.MTLS_MODE,
                Value.newBuilder().setStringValue(mode.name()).build()).build()))
        .addFilters(Filter.newBuilder().setName("envoy.filters.network.http_connection_manager")
            .setTypedConfig(Any.pack(connectionManager(name))));
    if (mode == MtlsMode.STRICT) {
      c.setTransportSocket(TransportSocket.newBuilder().setName(UpstreamTls.TRANSPORT_SOCKET)
          .setTypedConfig(Any.pack(DownstreamTlsContext.newBuilder()
              .setRequireClientCertificate(BoolValue.of(true))
              .setCommonTlsContext(CommonTlsContext.newBuilder()
                  .setTlsCertificateProviderInstance(
                      UpstreamTls.instance(MeshXdsNames.IDENTITY_PROVIDER))
                  .setValidationContext(CertificateValidationContext.newBuilder()
                      .setCaCertificateProviderInstance(
                          UpstreamTls.instance(MeshXdsNames.ROOT_PROVIDER))))
              .build())));
    }
    return c;
  }

  private static HttpConnectionManager connectionManager(String name) {
    RouteConfiguration routes = RouteConfiguration.newBuilder().setName(name)
        .addVirtualHosts(VirtualHost.newBuilder().setName(name).addDomains("*")
            .addRoutes(Route.newBuilder().setMatch(RouteMatch.newBuilder().setPrefix(""))
                .setNonForwardingAction(NonForwardingAction.getDefaultInstance())))
        .build();
    return HttpConnectionManager.newBuilder().setStatPrefix(name).setRouteConfig(routes)
        .addHttpFilters(HttpFilter.newBuilder().setName("envoy.filters.http.router")
            .setTypedConfig(Any.pack(Router.getDefaultInstance())))
        .build();
  }
}
