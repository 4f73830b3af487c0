/**
 * The workload's identity: {@link io.inboard.mesh.security.internal.identity.WorkloadIdentity}
 * hands out {@link io.inboard.mesh.security.internal.identity.IdentityMaterial}, one generation
 * per rotation. {@link io.inboard.mesh.security.internal.identity.MeshIdentity} keeps one per
 * mesh: made from the mesh's {@code IdentitySettings} (a {@code CaIdentity}, which gets its
 * certificates from the mesh CA and renews them at half-life) or installed by a test.
 * {@link io.inboard.mesh.security.internal.identity.IdentityStartHook} fetches the first
 * certificate while the mesh is built.
 */
package io.inboard.mesh.security.internal.identity;
