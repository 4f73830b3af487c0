package io.inboard.mesh.api.internal;

import io.inboard.mesh.api.Mesh;

/**
 * Work a sibling module does when a mesh is built, before {@code build()} returns: found with
 * {@link java.util.ServiceLoader}, run in no particular order after telemetry has started. For
 * example {@code mesh-security} fetches the workload's first certificate, so that the first
 * mTLS call or connection does not wait for it. A hook that throws fails the build (and the
 * mesh is closed); one that can wait must bound the wait by the mesh's
 * {@code initialConfigTimeout} and fail soft.
 */
public interface MeshStartHook {

  /** Runs for each mesh just built. */
  void started(Mesh mesh);
}
