package io.inboard.mesh.gateway.internal;

import io.inboard.mesh.api.internal.telemetry.MeshTracing;
import io.inboard.mesh.http.internal.xds.GatewayRoutes;
import io.netty.handler.ssl.SslContext;
import java.util.List;

/**
 * One filter chain of a gateway listener, compiled: the server names it serves (SNI; empty for
 * the default chain), its TLS context ({@code null}: plaintext) and its route config.
 *
 * @param mutual whether clients must present a certificate the chain's {@code trusted_ca} signed
 * @param tracing the mesh's tracing, for each request's SERVER span
 */
record ListenerChain(String name, List<String> serverNames, SslContext ssl, boolean mutual,
    GatewayRoutes routes, MeshTracing tracing) {

  boolean secure() {
    return ssl != null;
  }
}
