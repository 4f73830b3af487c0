/**
 * Telemetry SPI between Inboard's modules: the
 * {@link io.inboard.mesh.api.internal.telemetry.RequestReport} each data plane fills per request,
 * the {@link io.inboard.mesh.api.internal.telemetry.MeshMetrics} it goes to, the
 * {@link io.inboard.mesh.api.internal.telemetry.PeerIdentity} header that gives the other side's
 * labels, and the {@link io.inboard.mesh.api.internal.telemetry.TelemetryProvider} that
 * {@code mesh-telemetry} implements. Applications do not use it (a mesh's admin address is
 * {@code Mesh.adminAddress()}). Nothing here is public API: it may change at any time, without
 * notice.
 */
package io.inboard.mesh.api.internal.telemetry;
