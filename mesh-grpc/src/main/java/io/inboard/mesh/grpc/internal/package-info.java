/**
 * Internals of {@code mesh-grpc}, one package per stage. {@link
 * io.inboard.mesh.grpc.internal.MeshChannelFactory} is where a channel starts: it builds the
 * channel the mesh's discovery mode asks for, through {@link io.inboard.mesh.grpc.internal.k8s}
 * ({@code k8s:///}, the mesh's discovery, policy as a service config) or {@link
 * io.inboard.mesh.grpc.internal.xds} (grpc-xds and the control plane). Both put the interceptors
 * of {@link io.inboard.mesh.grpc.internal.client} on the channel. The server side, behind
 * {@code MeshServerInterceptor}, is {@link io.inboard.mesh.grpc.internal.inbound}; the server's
 * transport security (per-connection mTLS mode, PERMISSIVE sniffing) is {@link
 * io.inboard.mesh.grpc.internal.tls}. Both sides read and write headers through {@link
 * io.inboard.mesh.grpc.internal.metadata}, and report calls with what {@link
 * io.inboard.mesh.grpc.internal.telemetry} knows (response flags, Istio cluster names, peer
 * headers).
 *
 * <p>Dependencies point one way: this package, then {@code k8s} and {@code xds}, then {@code
 * client}, then {@code telemetry}, {@code metadata} and {@code tls}; {@code inbound} uses only
 * {@code telemetry}, {@code metadata} and {@code tls}.
 *
 * <p>Data in: the public entry points ({@code MeshChannels}, {@code MeshGrpc}) with a service
 * name, a client policy layer and per-method layers. Data out: a {@code ManagedChannel} the mesh
 * owns and closes.
 *
 * <p>Nothing here is public API: it may change at any time, without notice.
 */
package io.inboard.mesh.grpc.internal;
