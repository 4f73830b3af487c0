package io.inboard.mesh.http.internal.lb;

import io.inboard.mesh.api.ServiceUnavailableException;

/**
 * What a call reads about a destination: immutable, replaced whenever discovery or ejection
 * changes anything.
 *
 * @param picker the picker over endpoints that may take calls, or {@code null} with an error
 * @param error why no call can be sent, or {@code null}
 * @param nextReadmitNanos when the earliest ejected endpoint returns ({@link System#nanoTime})
 * @param anyEjected whether {@code nextReadmitNanos} means anything
 */
public record EndpointSnapshot(
    EndpointPicker picker, ServiceUnavailableException error, long nextReadmitNanos,
    boolean anyEjected) {

  public static EndpointSnapshot failed(ServiceUnavailableException error) {
    return new EndpointSnapshot(null, error, 0, false);
  }

  public boolean readmitDue(long nowNanos) {
    return anyEjected && nowNanos - nextReadmitNanos >= 0;
  }
}
