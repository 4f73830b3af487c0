/**
 * gRPC on the mesh: a {@code k8s:///} name resolver that feeds gRPC's own load balancers from
 * the mesh's discovery, and channels and stubs configured from mesh
 * policy (retries, deadlines, load balancing, a circuit breaker).
 *
 * <p>Entry points: {@link io.inboard.mesh.grpc.MeshChannels} for channels,
 * {@link io.inboard.mesh.grpc.MeshGrpc} for annotated stubs, mesh servers (mTLS per the
 * workload's PeerAuthentication: {@code MeshGrpc.serverBuilder(mesh, port)}) and
 * circuit-breaker state.
 */
package io.inboard.mesh.grpc;
