package io.inboard.mesh.security.internal.inbound;

/** How a workload port accepts connections, after PeerAuthentication's inheritance. */
public enum MtlsMode {
  /** mTLS only: plaintext connections are refused. */
  STRICT,
  /** mTLS and plaintext on the same port (Istio's default). */
  PERMISSIVE,
  /** Plaintext only. */
  DISABLE;

  /**
   * Whether a connection that is TLS ({@code tls}) or plaintext may stay open under this mode:
   * servers close the ones a changed policy no longer admits.
   */
  public boolean admits(boolean tls) {
    return tls ? this != DISABLE : this != STRICT;
  }
}
