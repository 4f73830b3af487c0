package io.inboard.mesh.api;

/** Where a {@link Mesh} learns the endpoints of the services its clients call. */
public enum DiscoveryMode {
  /**
   * Directly from the Kubernetes API (Services, EndpointSlices and Pods), with no control plane.
   * Needs {@code mesh-k8s-discovery} on the class path. Policy then comes from annotations and
   * builders only.
   */
  KUBERNETES,
  /** Endpoints given by the application through {@link MeshBuilder#discovery}. */
  CUSTOM,
  /**
   * From Inboard control planes over xDS, with their routing and resilience policy. Chosen by
   * {@link MeshBuilder#controlPlane}. gRPC channels from {@code mesh-grpc} resolve through
   * grpc-xds; the mesh's own discovery is then used only if a provider for this mode is on the
   * class path, and otherwise reports every service as not discoverable here.
   */
  XDS
}
