/**
 * The HTTP client's core: {@link io.inboard.mesh.http.internal.ClientCore} behind
 * {@code MeshHttpClient}, and the {@link io.inboard.mesh.http.internal.router.Router} it picks
 * once, when the client is built, from the mesh's discovery mode.
 *
 * <p>How a call flows: {@code MeshHttpClient} (or a declarative proxy from
 * {@link io.inboard.mesh.http.internal.declarative}) hands the request to {@code ClientCore},
 * which tells mesh hosts from others ({@code MeshHosts}), adds the context's headers, and passes
 * it to the router: {@code KubernetesRouter} here, or the xDS router in
 * {@link io.inboard.mesh.http.internal.xds} (which matches
 * {@link io.inboard.mesh.http.internal.route} tables first). Either ends in a
 * {@link io.inboard.mesh.http.internal.resilience.RetryingCall} on a destination, whose tries
 * pick endpoints with {@link io.inboard.mesh.http.internal.lb} and go out through
 * {@link io.inboard.mesh.http.internal.transport}. Each stage notes what it did in the call's
 * {@link io.inboard.mesh.http.internal.telemetry.CallObservation} (when telemetry records or
 * traces), and {@link io.inboard.mesh.http.internal.telemetry.ClientTelemetry} reports the call
 * once it ends.
 *
 * <p>Everything under {@code internal} may change at any time, without notice; use
 * {@link io.inboard.mesh.http} instead.
 */
package io.inboard.mesh.http.internal;
