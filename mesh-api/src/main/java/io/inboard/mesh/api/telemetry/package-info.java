/**
 * Telemetry SPI: the {@link io.inboard.mesh.api.telemetry.RequestReport} each data plane fills
 * per request, the {@link io.inboard.mesh.api.telemetry.MeshMetrics} it goes to, the
 * {@link io.inboard.mesh.api.telemetry.PeerIdentity} header that gives the other side's labels,
 * and the {@link io.inboard.mesh.api.telemetry.TelemetryProvider} that {@code mesh-telemetry}
 * implements.
 */
package io.inboard.mesh.api.telemetry;
