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
  MeshMetrics NOOP = new MeshMetrics() {
    @Override
    public void record(RequestReport report) {}

    @Override
    public boolean readsDetails(RequestReport.Reporter reporter) {
      return false;
    }
  };

  /** Records one finished request. Must not throw. */
  void record(RequestReport report);

  /**
   * Whether {@link #record} may read {@link RequestReport#details()} of {@code reporter}'s
   * reports (access logs, labels from request headers). When it does not, and no span records
   * the request either, a plane may leave the details {@link RequestDetails#NONE} rather than
   * collect them per request. Default: true.
   */
  default boolean readsDetails(RequestReport.Reporter reporter) {
    return true;
  }
}
