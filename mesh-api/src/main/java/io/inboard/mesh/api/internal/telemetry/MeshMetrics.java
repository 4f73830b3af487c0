package io.inboard.mesh.api.internal.telemetry;

/**
 * Where the data planes send one {@link RequestReport} per finished request. Called on the
 * request's own thread, once per request and side, so an implementation must be thread-safe
 * and cheap: no I/O, no locks held across calls.
 *
 * <p>{@code mesh-telemetry} records them as Istio's standard metrics; without it on the class
 * path, {@link #NOOP} drops them.
 */
@FunctionalInterface
public interface MeshMetrics {

  /** Drops every report. */
  MeshMetrics NOOP = report -> { };

  /** Records one finished request. Must not throw. */
  void record(RequestReport report);
}
