package io.inboard.e2e;

/**
 * What one call gave, in words both data planes share.
 *
 * @param backend the IP of the pod that answered, or {@code null} when none did
 * @param status the call's status in the shared vocabulary
 * @param millis from sending the call to its end, in milliseconds
 * @param headers the response headers the caller saw (names in lower case, first value each)
 */
record Outcome(String backend, Status status, long millis, java.util.Map<String, String> headers) {

  Outcome(String backend, Status status, long millis) {
    this(backend, status, millis, java.util.Map.of());
  }

  /**
   * A call's status, named after gRPC's codes. HTTP maps onto them as gRPC maps HTTP statuses:
   * 200 is {@code OK}, 503 (and the mesh client's {@code ServiceUnavailableException}, its
   * 503-equivalent) is {@code UNAVAILABLE}, 500 is {@code INTERNAL}, 504 and the client's
   * {@code HttpTimeoutException} are {@code DEADLINE_EXCEEDED}; anything else is {@code OTHER}.
   */
  enum Status { OK, UNAVAILABLE, INTERNAL, DEADLINE_EXCEEDED, OTHER }
}
