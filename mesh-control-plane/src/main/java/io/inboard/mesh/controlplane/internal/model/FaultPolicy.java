package io.inboard.mesh.controlplane.internal.model;

import io.inboard.mesh.api.internal.Durations;
import java.time.Duration;
import java.util.Optional;

/**
 * Faults injected into a route's calls, as in Istio's {@code HTTPFaultInjection}.
 *
 * @param delay a fixed delay applied to a percentage of calls
 * @param abort an error returned instead of calling, for a percentage of calls
 */
public record FaultPolicy(Optional<Delay> delay, Optional<Abort> abort) {

  /**
   * @param fixedDelay how long to delay
   * @param percent the share of calls delayed, {@code 0..100}
   */
  public record Delay(Duration fixedDelay, double percent) {
    public Delay {
      Durations.requirePositive("fault.delay.fixedDelay", fixedDelay);
      requirePercent("fault.delay.percentage", percent);
    }
  }

  /**
   * @param httpStatus the HTTP status to return, or {@code 0} when {@code grpcStatus} is set
   * @param grpcStatus the gRPC status name (for example {@code UNAVAILABLE}), or {@code ""}
   * @param percent the share of calls aborted, {@code 0..100}
   */
  public record Abort(int httpStatus, String grpcStatus, double percent) {
    public Abort {
      if (httpStatus == 0 == (grpcStatus == null || grpcStatus.isEmpty())) {
        throw new IllegalArgumentException("fault.abort: httpStatus " + httpStatus
            + ", grpcStatus '" + grpcStatus + "' (expected: exactly one of them)");
      }
      if (httpStatus != 0 && (httpStatus < 200 || httpStatus > 599)) {
        throw new IllegalArgumentException(
            "fault.abort.httpStatus: " + httpStatus + " (expected: 200..599)");
      }
      requirePercent("fault.abort.percentage", percent);
    }
  }

  private static void requirePercent(String field, double percent) {
    if (!(percent >= 0 && percent <= 100)) {
      throw new IllegalArgumentException(field + ": " + percent + " (expected: 0..100)");
    }
  }
}
