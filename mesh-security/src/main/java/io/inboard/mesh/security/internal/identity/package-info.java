/**
 * The workload's identity: {@link io.inboard.mesh.security.internal.identity.WorkloadIdentity}
 * hands out {@link io.inboard.mesh.security.internal.identity.IdentityMaterial}, one generation
 * per rotation.
 */
package io.inboard.mesh.security.internal.identity;
