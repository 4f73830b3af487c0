package io.inboard.mesh.controlplane;

/** The key type of the control plane's generated root (and of its TLS port's certificate). */
public enum CaKeyType {
  /** ECDSA on P-256: the default; signs a CSR several times faster than RSA. */
  EC_P256,
  /** RSA 2048, as istiod's default root. */
  RSA_2048
}
