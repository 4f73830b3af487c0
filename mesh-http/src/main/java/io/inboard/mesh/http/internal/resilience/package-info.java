/**
 * The resilience stage: one logical call to a {@link io.inboard.mesh.http.internal.resilience.Destination}
 * and what guards it. {@link io.inboard.mesh.http.internal.resilience.RetryingCall} asks the
 * circuit breaker, waits for admission (connection-pool limits), then sends tries with backoff
 * while the retry policy, the retry budget ({@code maxRetries}) and the overall deadline allow.
 *
 * <p>Data in: a destination and a {@link io.inboard.mesh.http.internal.resilience.CallPolicy}
 * (resolved when a client, a declarative method or an xDS route was built) from a router.
 * Data out: each try picks an endpoint from {@link io.inboard.mesh.http.internal.lb} and is
 * sent by {@link io.inboard.mesh.http.internal.transport}; its outcome goes back to the
 * endpoint set (outlier ejection) and, for the whole call, to the circuit breaker.
 *
 * <p>Internal: may change at any time.
 */
package io.inboard.mesh.http.internal.resilience;
