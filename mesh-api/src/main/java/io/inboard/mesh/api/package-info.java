/**
 * Inboard's public API: the {@link io.inboard.mesh.api.Mesh} entry point and its
 * {@link io.inboard.mesh.api.MeshBuilder}, who the workload is
 * ({@link io.inboard.mesh.api.Mesh.Settings}, {@link io.inboard.mesh.api.ServedService},
 * {@link io.inboard.mesh.api.DiscoveryMode}), service names
 * ({@link io.inboard.mesh.api.ServiceName}) and the error every data plane shares
 * ({@link io.inboard.mesh.api.ServiceUnavailableException}).
 *
 * <p>Beside it: {@code annotation} and {@code policy} (client policy), {@code discovery} and
 * {@code inbound} (extension points), {@code context} (the request being served). What only
 * Inboard's own modules use is in {@code internal} and may change at any time.
 */
package io.inboard.mesh.api;
