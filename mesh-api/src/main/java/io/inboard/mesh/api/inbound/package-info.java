/**
 * The inbound hook's extension point: {@link io.inboard.mesh.api.inbound.InboundGuard}s see each
 * {@link io.inboard.mesh.api.inbound.InboundRequest} before the application does, on every
 * inbound hook (Servlet filter, JDK HTTP server filter, gRPC server interceptor).
 */
package io.inboard.mesh.api.inbound;
