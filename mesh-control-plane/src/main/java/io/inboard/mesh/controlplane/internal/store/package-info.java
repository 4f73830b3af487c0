/**
 * Stage 4, the store: the accepted resources (with the documents they were read from), the
 * known service ports and endpoints, and the checks across resources (subset references, host
 * conflicts). Fed by the engine with parsed resources; each change is snapshotted into a
 * {@code MeshConfig} for {@code translate}. Internal: may change at any time, without notice.
 */
package io.inboard.mesh.controlplane.internal.store;
