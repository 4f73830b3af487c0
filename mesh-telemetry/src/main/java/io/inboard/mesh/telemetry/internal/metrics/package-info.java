/**
 * Istio's request metrics: the labels of a report, the per-side plan a telemetry policy
 * compiles to, and the recorder. Internal; may change at any time.
 */
package io.inboard.mesh.telemetry.internal.metrics;
