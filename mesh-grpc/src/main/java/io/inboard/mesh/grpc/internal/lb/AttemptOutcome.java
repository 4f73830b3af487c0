package io.inboard.mesh.grpc.internal.lb;

import io.grpc.Status;

/**
 * How an attempt's final gRPC status counts for ejection: as Envoy's router reports it to its
 * outlier detector, i.e. mapped to HTTP the way Envoy's {@code Grpc::Utility::grpcToHttpStatus}
 * maps it (UNKNOWN, INTERNAL, DATA_LOSS → 500; UNIMPLEMENTED → 501; UNAVAILABLE → 503;
 * DEADLINE_EXCEEDED → 504; OK → 200; the rest 4xx). 502, 503 and 504 are gateway errors.
 */
enum AttemptOutcome {
  /** 2xx or 4xx: resets the endpoint's consecutive counters. */
  SUCCESS,
  /** A 5xx that is not a gateway error (500, 501). */
  SERVER_ERROR,
  /** 502, 503 or 504: counts for both consecutive checks. */
  GATEWAY_ERROR,
  /**
   * CANCELLED (499): the caller gave up, and Envoy's router reports nothing to the detector for
   * a downstream reset, so it neither counts nor resets.
   */
  IGNORED;

  private static final AttemptOutcome[] BY_CODE = new AttemptOutcome[Status.Code.values().length];

  static {
    for (Status.Code code : Status.Code.values()) {
      BY_CODE[code.value()] = switch (code) {
        case UNKNOWN, INTERNAL, DATA_LOSS, UNIMPLEMENTED -> SERVER_ERROR;
        case UNAVAILABLE, DEADLINE_EXCEEDED -> GATEWAY_ERROR;
        case CANCELLED -> IGNORED;
        default -> SUCCESS;
      };
    }
  }

  /** The outcome of an attempt that ended with {@code status}. */
  static AttemptOutcome of(Status status) {
    return BY_CODE[status.getCode().value()];
  }
}
