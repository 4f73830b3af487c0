/**
 * Internals of {@code mesh-api} shared with Inboard's other modules: {@link
 * io.inboard.mesh.api.internal.InternalMesh} (the one accessor for what sibling modules need
 * from a {@code Mesh}, including per-mesh state), the node-metadata keys workloads and control
 * planes agree on, and the parsers that name their source in errors. Nothing here is public API:
 * it may change at any time, without notice.
 */
package io.inboard.mesh.api.internal;
