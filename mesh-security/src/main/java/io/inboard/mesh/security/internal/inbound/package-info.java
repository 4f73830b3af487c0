/**
 * The workload's inbound mTLS policy, as the control plane computes it from PeerAuthentication
 * and serves it in the {@code virtualInbound} listener.
 */
package io.inboard.mesh.security.internal.inbound;
