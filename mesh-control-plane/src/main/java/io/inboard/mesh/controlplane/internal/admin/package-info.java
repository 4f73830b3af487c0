/**
 * The admin HTTP API ({@code AdminApiServer}): apply, analyze, delete and read resources, show
 * diagnostics, workloads and config dumps as JSON or YAML. It calls the engine, never the public
 * facade. Internal: may change at any time, without notice.
 */
package io.inboard.mesh.controlplane.internal.admin;
