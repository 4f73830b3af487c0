/**
 * JSON Web Key Sets for RequestAuthentication {@code jwksUri}s: the control plane fetches them
 * (as istiod does by default), off the translation thread, and hands workloads the last good
 * key set inline, so that workloads never reach an identity provider themselves. Internal: may
 * change at any time, without notice.
 */
package io.inboard.mesh.controlplane.internal.jwks;
