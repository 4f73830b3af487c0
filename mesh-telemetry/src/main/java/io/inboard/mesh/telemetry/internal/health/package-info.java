/**
 * The mesh's own health on the scrape: Envoy's per-cluster counters and gauges, and the xDS
 * resource states. Internal; may change at any time.
 */
package io.inboard.mesh.telemetry.internal.health;
