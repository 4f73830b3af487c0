/**
 * Istio's {@code connectionPool} limits on gRPC calls, per cluster and process as Envoy's
 * circuit breakers: calls in flight ({@code http2MaxRequests}), calls waiting for a slot
 * ({@code http1MaxPendingRequests}) and retries in flight ({@code maxRetries}). The cluster's
 * load-balancing policy registers the limits in {@link
 * io.inboard.mesh.grpc.internal.pool.ClusterPools}; the route filter admits, queues or sheds each
 * call there.
 */
package io.inboard.mesh.grpc.internal.pool;
