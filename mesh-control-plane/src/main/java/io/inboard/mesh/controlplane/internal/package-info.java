/**
 * Internals of {@code mesh-control-plane}, one package per stage, in the order data flows:
 * {@code source} (config directory, Kubernetes, auto-registration) → {@code parse} (YAML and
 * documents to validated resources) → {@code model} (the immutable parsed config) →
 * {@code store} (accepted resources, endpoints, cross-resource checks) → {@code translate}
 * (to xDS) → {@code ads} (served to grpc-xds clients); {@code admin} is the HTTP admin API.
 * {@link io.inboard.mesh.controlplane.internal.ControlPlaneEngine} wires them and is what the
 * public {@code ControlPlane} facade delegates to. Nothing here is public API: it may change at
 * any time, without notice.
 */
package io.inboard.mesh.controlplane.internal;
