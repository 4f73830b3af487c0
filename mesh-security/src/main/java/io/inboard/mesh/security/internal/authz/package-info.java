/**
 * Istio's AuthorizationPolicy, compiled per workload and evaluated per request, the same on
 * both planes.
 *
 * <p>{@link io.inboard.mesh.security.internal.authz.Authorizer#compile} runs {@code
 * PolicyCompiler} per policy, which hands each {@code from[].source}, {@code to[].operation} and
 * {@code when[]} to {@code SourceCompiler}, {@code OperationCompiler} and {@code
 * ConditionCompiler}; they validate every value (rejecting what Istio rejects and every unknown
 * field) and build {@code RequestMatcher}s that only compare. A decision walks those matchers;
 * only an unusual path (to normalize) or an {@code x-forwarded-for} header (for the remote IP)
 * makes it derive anything from the request ({@code ResolvedRequest}).
 */
package io.inboard.mesh.security.internal.authz;
