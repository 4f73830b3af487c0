/**
 * Workload identity: {@link io.inboard.mesh.security.SpiffeId}. How a workload gets its
 * certificates from the mesh CA, rotates them and builds mTLS from them is internal.
 */
package io.inboard.mesh.security;
