/**
 * Inboard's public API: the {@link io.inboard.mesh.api.Mesh} entry point, service names and
 * the errors every data plane shares.
 */
package io.inboard.mesh.api;
