/** Istio's RequestAuthentication: finding, verifying and caching JWTs on inbound requests. */
package io.inboard.mesh.security.internal.jwt;
