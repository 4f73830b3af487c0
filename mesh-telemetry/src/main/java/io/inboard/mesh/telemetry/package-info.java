/**
 * Istio's standard metrics for Inboard workloads, and the per-workload admin server. Put this
 * module on the class path and every {@code Mesh} records
 * {@link io.inboard.mesh.telemetry.IstioMetrics} through OpenTelemetry, with the mesh's health
 * as {@link io.inboard.mesh.telemetry.EnvoyStats}, and serves them at
 * {@code http://<host>:<admin port>/stats/prometheus} (default port 15020, see
 * {@code MeshBuilder.adminPort} and {@code Mesh.adminAddress()}), with
 * {@code /debug/config_dump} beside it. The rest lives in {@code internal}.
 */
package io.inboard.mesh.telemetry;
