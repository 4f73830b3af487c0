package io.inboard.mesh.http.internal.xds;

import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.inboard.mesh.api.internal.MeshXdsNames;

/**
 * The check of a gateway's listeners (Listeners without an api_listener): each filter chain
 * holds an HttpConnectionManager naming its route config over RDS, and a TLS chain's transport
 * socket is a DownstreamTlsContext with one certificate. A listener that fails it is NACKed
 * with the message, naming listener, chain and field.
 */
public final class GatewayListenerCheck {

  private GatewayListenerCheck() {}

  /**
   * Whether {@code l} is a gateway's (the index, or a listener with filter chains and no
   * api_listener) rather than a proxyless client's.
   */
  static boolean isGatewayListener(Listener l) {
    return l.getName().equals(MeshXdsNames.GATEWAY_LISTENERS)
        || !l.hasApiListener() && l.getFilterChainsCount() > 0;
  }

  static void check(Listener l) {
    if (l.getName().equals(MeshXdsNames.GATEWAY_LISTENERS)) {
      return;
    }
    if (!l.getAddress().hasSocketAddress()) {
      throw new IllegalArgumentException("listener '" + l.getName()
          + "' address.socket_address: not set (expected: the port to listen on)");
    }
    for (int i = 0; i < l.getFilterChainsCount(); i++) {
      FilterChain c = l.getFilterChains(i);
      connectionManager(l, c, i);
      tls(l, c, i);
    }
  }

  /**
   * The chain's connection manager.
   *
   * @throws IllegalArgumentException naming listener, chain and field when there is none, or
   *     it names no route config over RDS
   */
  public static HttpConnectionManager connectionManager(Listener l, FilterChain c, int index) {
    String field = field(l, c, index);
    for (Filter f : c.getFiltersList()) {
      if (f.hasTypedConfig() && f.getTypedConfig().is(HttpConnectionManager.class)) {
        HttpConnectionManager hcm;
        try {
          hcm = f.getTypedConfig().unpack(HttpConnectionManager.class);
        } catch (InvalidProtocolBufferException e) {
          throw new IllegalArgumentException(field + " filters['" + f.getName() + "']: "
              + e.getMessage() + " (expected: an HttpConnectionManager)");
        }
        if (!hcm.hasRds()) {
          throw new IllegalArgumentException(field + " HttpConnectionManager route_specifier: "
              + hcm.getRouteSpecifierCase() + " (expected: rds)");
        }
        return hcm;
      }
    }
    throw new IllegalArgumentException(field + " filters: no HttpConnectionManager (expected:"
        + " one, naming the route config over RDS)");
  }

  /**
   * The chain's TLS context, or {@code null} for a plaintext chain.
   *
   * @throws IllegalArgumentException naming listener, chain and field when it is not a
   *     DownstreamTlsContext with exactly one certificate
   */
  public static DownstreamTlsContext tls(Listener l, FilterChain c, int index) {
    if (!c.hasTransportSocket()) {
      return null;
    }
    String field = field(l, c, index) + " transport_socket";
    DownstreamTlsContext tls;
    try {
      tls = c.getTransportSocket().getTypedConfig().unpack(DownstreamTlsContext.class);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException(field + ": " + c.getTransportSocket().getTypedConfig()
          .getTypeUrl() + " (expected: a DownstreamTlsContext)");
    }
    int certs = tls.getCommonTlsContext().getTlsCertificatesCount();
    if (certs != 1) {
      throw new IllegalArgumentException(field + " common_tls_context.tls_certificates: " + certs
          + " certificates (expected: exactly 1, with certificate_chain and private_key)");
    }
    if (tls.getRequireClientCertificate().getValue()
        && !tls.getCommonTlsContext().hasValidationContext()) {
      throw new IllegalArgumentException(field + " common_tls_context.validation_context: not"
          + " set while require_client_certificate is true (expected: trusted_ca)");
    }
    return tls;
  }

  private static String field(Listener l, FilterChain c, int index) {
    return "listener '" + l.getName() + "' filter_chains[" + index + "]"
        + (c.getName().isEmpty() ? "" : " ('" + c.getName() + "')");
  }
}
