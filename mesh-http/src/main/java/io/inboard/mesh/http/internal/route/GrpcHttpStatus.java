package io.inboard.mesh.http.internal.route;

/**
 * gRPC status codes as HTTP statuses, per the mapping gRPC-HTTP gateways use
 * ({@code google.rpc.Code}'s documented HTTP equivalents): for example UNAVAILABLE is 503,
 * DEADLINE_EXCEEDED 504, NOT_FOUND 404, and codes without a closer match 500.
 */
final class GrpcHttpStatus {

  private static final int[] HTTP = {
      200, // OK
      499, // CANCELLED
      500, // UNKNOWN
      400, // INVALID_ARGUMENT
      504, // DEADLINE_EXCEEDED
      404, // NOT_FOUND
      409, // ALREADY_EXISTS
      403, // PERMISSION_DENIED
      429, // RESOURCE_EXHAUSTED
      400, // FAILED_PRECONDITION
      409, // ABORTED
      400, // OUT_OF_RANGE
      501, // UNIMPLEMENTED
      500, // INTERNAL
      503, // UNAVAILABLE
      500, // DATA_LOSS
      401, // UNAUTHENTICATED
  };

  private GrpcHttpStatus() {}

  /** The HTTP status for gRPC code {@code code}; 500 for codes outside 0..16. */
  static int of(int code) {
    return code >= 0 && code < HTTP.length ? HTTP[code] : 500;
  }
}
