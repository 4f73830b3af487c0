/**
 * The server side, behind {@code MeshServerInterceptor}: {@link
 * io.inboard.mesh.grpc.internal.inbound.InboundCalls} makes the call's {@code RequestContext}
 * from the propagated headers, starts the call's SERVER span (whose context becomes the call's),
 * checks access, runs the mesh's inbound guards on a {@link
 * io.inboard.mesh.grpc.internal.inbound.GrpcInboundRequest} view of the call, and wraps the call
 * ({@link io.inboard.mesh.grpc.internal.inbound.InboundServerCall}) to answer with this
 * workload's peer headers and report {@code reporter="destination"} telemetry once, on close or
 * on the client's cancel; {@link io.inboard.mesh.grpc.internal.inbound.ContextListener} keeps the
 * context current while the application's handler runs, and {@link
 * io.inboard.mesh.grpc.internal.inbound.InboundStreamTracer} (on servers from {@code
 * MeshGrpc.serverBuilder}) counts the call's wire bytes.
 *
 * <p>Data in: each incoming call with its metadata, from the gRPC server. Data out: a refused
 * call closed with the guard's status, or the call handed to the application's service with the
 * context current; on close, a request report to the mesh's metrics and the end of its span.
 *
 * <p>Internal: may change at any time.
 */
package io.inboard.mesh.grpc.internal.inbound;
