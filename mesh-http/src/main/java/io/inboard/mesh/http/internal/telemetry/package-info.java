/**
 * The HTTP plane's side of telemetry, for both the client and the inbound hooks: Envoy's
 * response flags and local-reply details ({@link
 * io.inboard.mesh.http.internal.telemetry.ResponseFlags}), the per-call observation the client's
 * stages fill ({@link io.inboard.mesh.http.internal.telemetry.CallObservation}) and the report it
 * becomes ({@link io.inboard.mesh.http.internal.telemetry.ClientTelemetry}), each cluster's name
 * and health metrics ({@link io.inboard.mesh.http.internal.telemetry.ClusterStats}).
 *
 * <p>Everything under {@code internal} may change at any time, without notice.
 */
package io.inboard.mesh.http.internal.telemetry;
