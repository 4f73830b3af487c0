/**
 * Istio's access log: the default text line and its JSON form, and where a mesh writes them
 * (standard output, as Envoy's {@code /dev/stdout}). Internal; may change at any time.
 */
package io.inboard.mesh.telemetry.internal.accesslog;
