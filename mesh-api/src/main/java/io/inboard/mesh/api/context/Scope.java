package io.inboard.mesh.api.context;

/**
 * Ends a {@link RequestContext#makeCurrent()}: closing restores the context that was current
 * before. Close it on the thread that opened it, in reverse order of opening
 * (try-with-resources does both).
 */
@FunctionalInterface
public interface Scope extends AutoCloseable {

  /** Restores the previous context. Never throws. */
  @Override
  void close();
}
