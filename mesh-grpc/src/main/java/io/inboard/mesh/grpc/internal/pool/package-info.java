/**
 * Istio's {@code connectionPool} limits on gRPC calls, per cluster and process as Envoy's
 * circuit breakers act on an HTTP/2 cluster: calls in flight ({@code http2MaxRequests}; a call
 * over it is shed at once), calls waiting for a connection to carry their stream ({@code
 * http1MaxPendingRequests}; one over it is shed) and retries in flight ({@code maxRetries}). The
 * cluster's load-balancing policy registers the limits in {@link
 * io.inboard.mesh.grpc.internal.pool.ClusterPools}; the route filter admits or sheds each call
 * there.
 */
package io.inboard.mesh.grpc.internal.pool;
