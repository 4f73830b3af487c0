package io.inboard.mesh.gateway.internal;

import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.inboard.mesh.api.internal.telemetry.MeshTracing;
import io.inboard.mesh.http.internal.route.VirtualHosts;
import io.inboard.mesh.http.internal.xds.GatewayListenerCheck;
import io.inboard.mesh.http.internal.xds.XdsHttp;
import io.netty.handler.ssl.SslContext;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A gateway listener ({@code 0.0.0.0_<port>}) compiled: its port and filter chains. A listener
 * with any TLS chain is a TLS listener, whose chain is chosen by SNI ({@code server_names},
 * exact or {@code *.suffix}; a chain without server names is the default); plaintext chains
 * then are not served. A plaintext listener uses its first chain.
 *
 * @param files the certificate files read, with their modification times, to re-read on change
 */
record ListenerConfig(Listener source, int port, List<ListenerChain> chains,
    VirtualHosts<ListenerChain> bySni, boolean tls, Map<Path, FileTime> files) {

  /**
   * Compiles {@code l}; chains' route configs are watched through {@code xds}.
   *
   * @throws IllegalArgumentException naming listener, chain and field the gateway cannot serve
   */
  static ListenerConfig compile(Listener l, XdsHttp xds, MeshTracing tracing) {
    int port = l.getAddress().getSocketAddress().getPortValue();
    if (port <= 0 || port > 65535) {
      throw new IllegalArgumentException("listener '" + l.getName()
          + "' address.socket_address.port_value: " + port + " (expected: 1-65535)");
    }
    if (l.getFilterChainsCount() == 0) {
      throw new IllegalArgumentException("listener '" + l.getName()
          + "' filter_chains: none (expected: at least one)");
    }
    Map<Path, FileTime> files = new HashMap<>();
    List<ListenerChain> chains = new ArrayList<>();
    try {
      return compile(l, xds, tracing, port, files, chains);
    } catch (RuntimeException e) {
      chains.forEach(c -> xds.releaseGatewayRoutes(c.routes()));
      throw e;
    }
  }

  private static ListenerConfig compile(Listener l, XdsHttp xds, MeshTracing tracing, int port,
      Map<Path, FileTime> files, List<ListenerChain> chains) {
    boolean tls = false;
    VirtualHosts.Builder<ListenerChain> sni = VirtualHosts.builder();
    for (int i = 0; i < l.getFilterChainsCount(); i++) {
      FilterChain c = l.getFilterChains(i);
      HttpConnectionManager hcm = GatewayListenerCheck.connectionManager(l, c, i);
      DownstreamTlsContext t = GatewayListenerCheck.tls(l, c, i);
      String field = "listener '" + l.getName() + "' filter_chains[" + i + "] transport_socket";
      SslContext ssl = t == null ? null : TlsFiles.context(t, field, files);
      List<String> names = c.getFilterChainMatch().getServerNamesList();
      ListenerChain chain = new ListenerChain(c.getName(), names, ssl,
          t != null && t.getRequireClientCertificate().getValue(),
          xds.gatewayRoutes(hcm.getRds().getRouteConfigName()), tracing);
      chains.add(chain);

      if (ssl != null) {
        tls = true;
        if (names.isEmpty()) {
          sni.add("*", chain);
        }
        for (String n : names) {
          try {
            sni.add(n, chain);
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("listener '" + l.getName() + "' filter_chains["
                + i + "] filter_chain_match.server_names: " + e.getMessage(), e);
          }
        }
      }
    }
    return new ListenerConfig(l, port, List.copyOf(chains), sni.build(), tls, Map.copyOf(files));
  }

  /** Releases the chains' route configs (see {@link XdsHttp#releaseGatewayRoutes}). */
  void release(XdsHttp xds) {
    chains.forEach(c -> xds.releaseGatewayRoutes(c.routes()));
  }

  /** The chain of a plaintext listener. */
  ListenerChain plaintext() {
    for (ListenerChain c : chains) {
      if (c.ssl() == null) {
        return c;
      }
    }
    return chains.get(0);
  }

  /** The TLS chain for {@code sni} ({@code null}: no SNI sent), or {@code null}. */
  ListenerChain forSni(String sni) {
    return bySni.select(sni);
  }
}
