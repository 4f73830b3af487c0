/**
 * Internals of {@code mesh-control-plane}: YAML parsing, xDS translation and the ADS server.
 * Nothing here is public API: it may change at any time, without notice.
 */
package io.inboard.mesh.controlplane.internal;
