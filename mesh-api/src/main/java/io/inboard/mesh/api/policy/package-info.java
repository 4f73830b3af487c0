/**
 * The resilience policy a client can set for the calls it makes, as immutable records:
 * {@link io.inboard.mesh.api.policy.ClientPolicy} gathers the timeout,
 * {@link io.inboard.mesh.api.policy.RetryPolicy} (with {@link io.inboard.mesh.api.policy.RetryOn}),
 * {@link io.inboard.mesh.api.policy.LoadBalancerPolicy},
 * {@link io.inboard.mesh.api.policy.ConnectionPoolSettings},
 * {@link io.inboard.mesh.api.policy.OutlierDetectionPolicy} and
 * {@link io.inboard.mesh.api.policy.CircuitBreakerPolicy}. Records with many fields are built
 * with {@code X.builder()}, whose Javadoc states each default; invalid values fail with
 * {@code field: value (expected: ...)}.
 *
 * <p>The route and destination model that a control plane translates Istio resources into
 * ({@code HttpRoute}, {@code DestinationPolicy} and their parts) still lives here while it moves
 * out; applications do not build it.
 */
package io.inboard.mesh.api.policy;
