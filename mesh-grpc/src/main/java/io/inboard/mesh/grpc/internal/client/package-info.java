/**
 * The client stage: what a mesh channel does to each outbound call, whichever mode built it.
 * {@link io.inboard.mesh.grpc.internal.client.MeshClientInterceptors} orders a channel's
 * interceptors: telemetry first ({@link
 * io.inboard.mesh.grpc.internal.client.ClientTelemetryInterceptor}: the call's span, the peer
 * headers, and per call a {@link io.inboard.mesh.grpc.internal.client.CallAttempts} stream-tracer
 * factory whose {@link io.inboard.mesh.grpc.internal.client.AttemptTracer}s see each attempt's
 * endpoint, wire bytes, outcome and trace headers; {@link
 * io.inboard.mesh.grpc.internal.client.OutboundCall} reports the call with {@code
 * reporter="source"}), then the policy stage, then header propagation next to gRPC. The policy
 * stage: the {@link io.inboard.mesh.grpc.internal.client.CircuitBreakerInterceptor} guards a
 * service with the breaker {@link io.inboard.mesh.grpc.internal.client.MeshGrpcState} keeps per
 * mesh and service; in xDS mode the {@link
 * io.inboard.mesh.grpc.internal.client.DefaultDeadlineInterceptor} gives calls without a deadline
 * the client's timeout. Also here: the per-RPC policy read from a {@code @MeshClient} interface
 * ({@link io.inboard.mesh.grpc.internal.client.ClientInterfaces}, into {@link
 * io.inboard.mesh.grpc.internal.client.MethodPolicy}), and the call that fails before the network
 * ({@link io.inboard.mesh.grpc.internal.client.FailedCall}).
 *
 * <p>Data in: the channel factories of {@link io.inboard.mesh.grpc.internal.k8s} and {@link
 * io.inboard.mesh.grpc.internal.xds} install these interceptors when a channel is built; per
 * call, the application's call options and headers, and {@code RequestContext.current()}. Data
 * out: the call, with headers added, to gRPC's own retries, load balancer and transport; its
 * outcome goes to the circuit breaker, and its report to the mesh's metrics, tracing and
 * health counters.
 *
 * <p>Internal: may change at any time.
 */
package io.inboard.mesh.grpc.internal.client;
