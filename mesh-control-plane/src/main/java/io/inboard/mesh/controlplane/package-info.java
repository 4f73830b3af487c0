/**
 * Inboard's companion control plane: it reads Istio networking resources, validates them,
 * translates them to xDS and serves them over ADS to grpc-xds clients. Start with
 * {@link io.inboard.mesh.controlplane.ControlPlane#builder()}.
 */
package io.inboard.mesh.controlplane;
