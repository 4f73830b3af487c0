/**
 * The gateway's insides, in the order a request meets them: {@code GatewayListeners} opens and
 * closes Netty listeners as the control plane's index listener lists them ({@code ListenerConfig}
 * reads each one, {@code TlsFiles} its certificates); {@code ListenerServer} accepts HTTP/1.1,
 * h2c and TLS with SNI; {@code ProxyHandler} serves one connection or stream and hands each
 * request to an {@code Exchange}, which buffers or streams its body ({@code StreamedBody}),
 * filters its headers ({@code ForwardedHeaders}) and sends it through mesh-http's route engine
 * on the Netty transport ({@code GatewayTransport}); {@code ResponseStream} writes the answer
 * back as it arrives. {@code DownstreamSpan} is the request's server span, {@code HealthServer}
 * the {@code /healthz/ready} port.
 */
package io.inboard.mesh.gateway.internal;
