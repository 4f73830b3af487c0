/**
 * The gRPC route filter: what grpc-xds does not do with a route and Inboard adds through an xDS
 * HTTP filter of its own ({@code MeshXdsNames.GRPC_ROUTE_FILTER}). {@link
 * io.inboard.mesh.grpc.internal.route.GrpcRouteFilter} is registered with grpc-xds once per JVM
 * and parses each route's copy of itself ({@link
 * io.inboard.mesh.grpc.internal.route.GrpcRouteParser}) into an immutable {@link
 * io.inboard.mesh.grpc.internal.route.GrpcRoutePolicy} when RDS changes. Per call, first comes the cluster's
 * connection-pool admission ({@link io.inboard.mesh.grpc.internal.pool.PoolAdmission}, on every
 * route); then {@link io.inboard.mesh.grpc.internal.route.GrpcRouteInterceptor} applies,
 * outermost first: header
 * changes ({@link io.inboard.mesh.grpc.internal.route.HeaderChangingCall}), mirroring of unary
 * calls ({@link io.inboard.mesh.grpc.internal.route.MirroringCall} through {@link
 * io.inboard.mesh.grpc.internal.route.MirrorChannels}), and, for unary calls of a route with a
 * per-try timeout, retries owned by the filter ({@link
 * io.inboard.mesh.grpc.internal.route.RetryingUnaryCall}).
 *
 * <p>Data in: the RDS route's filter config (a copy of the Envoy Route), the call and its call
 * options. Data out: one or more calls on the channel below the filter (each with its own load
 * balancer pick), and copies of unary calls on mirror channels.
 *
 * <p>Internal: may change at any time.
 */
package io.inboard.mesh.grpc.internal.route;
