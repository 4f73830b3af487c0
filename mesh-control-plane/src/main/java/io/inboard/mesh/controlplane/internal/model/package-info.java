/**
 * Stage 3, the model: the immutable parsed configuration ({@code ParsedResource}, routes,
 * matches, destinations, subsets, faults, {@code MeshConfig} snapshots). Built by {@code parse},
 * held by {@code store}, read by {@code translate}. Internal: may change at any time, without
 * notice.
 */
package io.inboard.mesh.controlplane.internal.model;
