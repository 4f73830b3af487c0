/**
 * mTLS from a rotating identity: {@link io.inboard.mesh.security.internal.tls.MeshKeyManager}
 * presents the current certificate, {@link
 * io.inboard.mesh.security.internal.tls.SpiffeTrustManager} checks peers against the current
 * roots and by SPIFFE ID. Both data planes build their TLS from these.
 */
package io.inboard.mesh.security.internal.tls;
