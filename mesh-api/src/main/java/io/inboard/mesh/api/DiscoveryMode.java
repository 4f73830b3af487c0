package io.inboard.mesh.api;

/** Where a {@link Mesh} learns the endpoints of the services its clients call. */
public enum DiscoveryMode {
  /**
   * Directly from the Kubernetes API (Services, EndpointSlices and Pods), with no control plane.
   * Needs {@code mesh-k8s-discovery} on the class path. Policy then comes from annotations and
   * builders only.
   */
  KUBERNETES,
  /** Endpoints given by the application through {@link Mesh.Builder#discovery}. */
  CUSTOM
}
