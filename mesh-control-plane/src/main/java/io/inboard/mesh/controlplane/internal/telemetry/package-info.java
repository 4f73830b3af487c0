/**
 * Istio's telemetry configuration on the control plane's side: the mesh config's tracing
 * providers and default providers ({@link
 * io.inboard.mesh.controlplane.internal.telemetry.TelemetryMeshConfig}, read by {@link
 * io.inboard.mesh.controlplane.internal.telemetry.MeshConfigFile}). Internal: may change at any
 * time.
 */
package io.inboard.mesh.controlplane.internal.telemetry;
