/**
 * Stage 5, translation: a {@code MeshConfig} snapshot becomes xDS resources (listeners, routes,
 * clusters, endpoints) per label set of the connected workloads, as istiod would write them.
 * The result goes to {@code ads}. Internal: may change at any time, without notice.
 */
package io.inboard.mesh.controlplane.internal.translate;
