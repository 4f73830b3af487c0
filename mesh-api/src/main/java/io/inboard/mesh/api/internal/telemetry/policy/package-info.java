/**
 * Istio's {@code Telemetry} resources compiled for one workload: the
 * {@link io.inboard.mesh.api.internal.telemetry.policy.TelemetryPolicy} both data planes and
 * {@code mesh-telemetry} read, and the compiler the control plane also runs to validate. Not
 * public API.
 */
package io.inboard.mesh.api.internal.telemetry.policy;
