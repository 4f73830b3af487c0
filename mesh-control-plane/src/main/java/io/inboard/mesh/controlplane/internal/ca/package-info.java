/**
 * The control plane's certificate authority: Istio's {@code IstioCertificateService} on the TLS
 * port, proof of identity by bearer token (a Kubernetes TokenReview, or a local credential the
 * control plane minted), the signing root (generated and persisted, or plugged in as Istio's
 * {@code cacerts}), root distribution (a bundle file, or the {@code istio-ca-root-cert}
 * ConfigMap in every namespace) and root rotation with overlap.
 *
 * <p>Flow of one request: {@link BearerTokenInterceptor} takes the token from the metadata →
 * {@link CertificateService} asks the current {@link TokenAuthenticator} who the caller is,
 * verifies the CSR and the lifetime → {@link CertificateAuthority} signs for that identity only.
 *
 * <p>Internal: may change at any time.
 */
package io.inboard.mesh.controlplane.internal.ca;
