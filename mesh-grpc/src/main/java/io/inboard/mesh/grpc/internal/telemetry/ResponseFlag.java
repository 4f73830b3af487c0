package io.inboard.mesh.grpc.internal.telemetry;

/**
 * The Envoy response flags a gRPC data plane can tell, in Envoy's own order (the order of
 * {@code envoyproxy/envoy:source/common/stream_info/utility.h}), which is the order in which
 * they are joined.
 */
public enum ResponseFlag {
  /** No healthy (or no) endpoint to send the call to. */
  UH,
  /** The call's deadline (the caller's, the client policy's or the route's timeout) expired. */
  UT,
  /** The server reset the stream before answering. */
  UR,
  /** No connection could be made to an endpoint. */
  UF,
  /** The connection was lost with the call on it. */
  UC,
  /** A circuit breaker shed the call. */
  UO,
  /** No route matched the call. */
  NR,
  /** A fault filter delayed the call (known only when the delay ran into the deadline). */
  DI,
  /** A fault filter aborted the call. */
  FI,
  /** The caller went away: the client cancelled the call. */
  DC,
  /** The call was retried and its last attempt failed as the retried ones did. */
  URX,
  /** The route's cluster does not exist. */
  NC;

  /** This flag's bit in a flag set. */
  public int bit() {
    return 1 << ordinal();
  }

  /** Whether {@code flags} holds this flag. */
  public boolean in(int flags) {
    return (flags & bit()) != 0;
  }
}
