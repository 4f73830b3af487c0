/**
 * Consecutive-error outlier ejection for gRPC clients, as Envoy does it for Istio's
 * {@code outlierDetection} ({@code consecutive5xxErrors}, {@code consecutiveGatewayErrors},
 * {@code interval}, {@code baseEjectionTime}, {@code maxEjectionPercent},
 * {@code minHealthPercent}). grpc-xds only has A50's success-rate and failure-percentage
 * ejection, so the control plane names the LB policy {@link
 * io.inboard.mesh.api.internal.MeshXdsNames#GRPC_OUTLIER_POLICY} in a Cluster's
 * {@code load_balancing_policy} (gRFC A52) and grpc-xds instantiates {@link
 * io.inboard.mesh.grpc.internal.lb.OutlierEjectionProvider} (registered through the service
 * loader) under its cluster_impl policy.
 *
 * <p>Data in: the Struct of the policy's TypedStruct, as a map, parsed once per CDS update into
 * an {@link io.inboard.mesh.grpc.internal.lb.OutlierEjectionConfig} (a bad value NACKs the
 * Cluster with the field named); the cluster's endpoints; each attempt's final status, recorded
 * lock-free by a stream tracer the picker attaches. Data out: a child policy (such as
 * round_robin) that sees an ejected endpoint's subchannels as TRANSIENT_FAILURE (unless the
 * cluster is in panic, below {@code minHealthPercent}), and each ejection counted in the mesh's
 * health metrics ({@link io.inboard.mesh.grpc.internal.lb.EjectionMetrics}, under the Struct's
 * {@code cluster}).
 *
 * <p>The same policy is Inboard's gRPC cluster policy for {@code connectionPool}: it registers
 * the cluster's call limits with {@link io.inboard.mesh.grpc.internal.pool.ClusterPools} ({@link
 * io.inboard.mesh.grpc.internal.lb.ClusterPoolHold}), drops grpc's own retries over {@code
 * maxRetries} at their pick ({@link io.inboard.mesh.grpc.internal.lb.RetryBudgetPicker}) and
 * replaces a connection that carried {@code maxRequestsPerConnection} calls ({@link
 * io.inboard.mesh.grpc.internal.lb.RecyclingSubchannel}).
 *
 * <p>Internal: may change at any time.
 */
package io.inboard.mesh.grpc.internal.lb;
