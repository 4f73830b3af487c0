package io.inboard.mesh.http.internal.transport.netty;

/** The channel side of one {@link Exchange}: an HTTP/1.1 connection or an HTTP/2 stream. */
interface Wire {
  /** Asks the channel for more of the response (reads are off until asked). */
  void read();

  /**
   * Ends the exchange early: closes the HTTP/1.1 connection (it can never be reused) or
   * resets the HTTP/2 stream.
   */
  void abort();
}
