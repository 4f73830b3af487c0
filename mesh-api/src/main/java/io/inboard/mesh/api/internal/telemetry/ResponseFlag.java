package io.inboard.mesh.api.internal.telemetry;

/**
 * The Envoy response flags a proxyless data plane can tell, in Envoy's own order (the order of
 * {@code envoyproxy/envoy:source/common/stream_info/utility.h}), which is the order in which
 * they are joined. Both planes keep a call's flags as a set of {@link #bit()}s and report
 * {@link #text(int)}.
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
  /** A fault filter delayed the call (gRPC knows it only when the delay ran into the deadline). */
  DI,
  /** A fault filter aborted the call. */
  FI,
  /** The caller went away: the client cancelled the call. */
  DC,
  /** The call was retried and its last attempt failed as the retried ones did. */
  URX,
  /** The route's cluster does not exist. */
  NC;

  // every set's text, made once: a report asks for it per call
  private static final String[] TEXT = new String[1 << values().length];

  static {
    TEXT[0] = "-";
    for (int bits = 1; bits < TEXT.length; bits++) {
      StringBuilder b = new StringBuilder();
      for (ResponseFlag f : values()) {
        if (f.in(bits)) {
          b.append(b.length() == 0 ? "" : ",").append(f.name());
        }
      }
      TEXT[bits] = b.toString();
    }
  }

  /** This flag's bit in a flag set. */
  public int bit() {
    return 1 << ordinal();
  }

  /** Whether {@code flags} holds this flag. */
  public boolean in(int flags) {
    return (flags & bit()) != 0;
  }

  /**
   * Istio's {@code response_flags} value of {@code flags}: the codes joined with {@code ,} in
   * Envoy's order, or {@code -} for none. Bits beyond the known flags are ignored.
   */
  public static String text(int flags) {
    return TEXT[flags & (TEXT.length - 1)];
  }
}
