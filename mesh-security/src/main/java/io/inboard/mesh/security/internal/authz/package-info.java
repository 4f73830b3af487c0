/**
 * Istio's AuthorizationPolicy, compiled per workload and evaluated per request, the same on
 * both planes.
 *
 * <p>{@link io.inboard.mesh.security.internal.authz.Authorizer#compile} runs {@code
 * PolicyCompiler} per policy, which hands each {@code from[].source}, {@code to[].operation} and
 * {@code when[]} to {@code SourceCompiler}, {@code OperationCompiler} and {@code
 * ConditionCompiler}; they validate every value (rejecting what Istio rejects and every unknown
 * field) and build the matchers of {@link io.inboard.mesh.security.internal.authz.match}, which
 * only compare. This package holds the API and that compile stage; the per-request stage lives
 * in {@code match}.
 */
package io.inboard.mesh.security.internal.authz;
