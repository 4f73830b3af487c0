/**
 * Kubernetes mode: channels that resolve {@code k8s:///NAME[.NAMESPACE][:PORT]} through the
 * mesh's discovery and load-balance with gRPC's own balancers. {@link
 * io.inboard.mesh.grpc.internal.k8s.K8sMeshChannelFactory} translates the effective policy into
 * a gRPC service config ({@link io.inboard.mesh.grpc.internal.k8s.ServiceConfigs}, retry
 * conditions through {@link io.inboard.mesh.grpc.internal.k8s.GrpcRetryCodes}), checked when
 * the channel is built. {@link io.inboard.mesh.grpc.internal.k8s.K8sNameResolver} turns each
 * discovery push into address groups ({@link
 * io.inboard.mesh.grpc.internal.k8s.EndpointAddresses}) and records errors in a {@link
 * io.inboard.mesh.grpc.internal.k8s.ResolutionState}, which the {@link
 * io.inboard.mesh.grpc.internal.k8s.ResolutionGuardInterceptor} reads to fail calls fast with
 * the mesh's message.
 *
 * <p>Data in: the mesh's discovery (endpoints and errors, pushed, handed to gRPC on the
 * channel's synchronization context) and the client's policy layers. Data out: addresses to
 * gRPC's load balancer, and a channel carrying the interceptors of {@link
 * io.inboard.mesh.grpc.internal.client}. Nothing here talks to the Kubernetes API itself.
 *
 * <p>Internal: may change at any time.
 */
package io.inboard.mesh.grpc.internal.k8s;
