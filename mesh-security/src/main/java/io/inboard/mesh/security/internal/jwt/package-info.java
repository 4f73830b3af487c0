/**
 * Istio's RequestAuthentication: finding, verifying and caching JWTs on inbound requests.
 *
 * <p>{@link io.inboard.mesh.security.internal.jwt.JwtAuthenticator} is the entry point; the rest
 * is its compile-time parts ({@code JwtRuleCompiler}, {@code VerificationKeys}, {@code
 * TokenLocation}) and per-request parts ({@code TokenVerifier}, {@code VerifiedTokenCache}).
 * Signatures are checked with nimbus-jose-jwt against inline key sets only: workloads never
 * fetch a {@code jwksUri}. Internal: may change at any time.
 */
package io.inboard.mesh.security.internal.jwt;
