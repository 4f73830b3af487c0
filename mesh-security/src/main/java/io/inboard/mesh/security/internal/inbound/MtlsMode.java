package io.inboard.mesh.security.internal.inbound;

/** How a workload port accepts connections, after PeerAuthentication's inheritance. */
public enum MtlsMode {
  /** mTLS only: plaintext connections are refused. */
  STRICT,
  /** mTLS and plaintext on the same port (Istio's default). */
  PERMISSIVE,
  /** Plaintext only. */
  DISABLE
}
