/**
 * What both sides of a gRPC call need to report it as Istio does: Envoy's response flags read from a call's outcome ({@link
 * io.inboard.mesh.grpc.internal.telemetry.ResponseFlags}), Istio's cluster names ({@link
 * io.inboard.mesh.grpc.internal.telemetry.IstioClusters}), the peer-metadata headers ({@link
 * io.inboard.mesh.grpc.internal.telemetry.PeerHeaders}) and the request headers a telemetry
 * policy asks to capture ({@link io.inboard.mesh.grpc.internal.telemetry.CapturedHeaders}).
 *
 * <p>Data in: a call's status, whether an HTTP/2 response came, its attempts; the workload's
 * identity. Data out: label values and header values, computed once per workload where they
 * can be.
 *
 * <p>Internal: may change at any time.
 */
package io.inboard.mesh.grpc.internal.telemetry;
