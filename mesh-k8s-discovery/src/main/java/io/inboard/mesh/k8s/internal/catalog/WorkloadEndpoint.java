package io.inboard.mesh.k8s.internal.catalog;

import static java.util.Objects.requireNonNull;

import io.inboard.mesh.api.discovery.Endpoint;

/**
 * An endpoint of a service port with the identity of the workload behind it.
 *
 * @param endpoint the address, target port, conditions, pod name, zone and pod labels
 * @param serviceAccount the pod's {@code spec.serviceAccountName} ({@code default} when the pod
 *     names none, as the API server fills in), or {@code ""} when the endpoint has no pod
 */
public record WorkloadEndpoint(Endpoint endpoint, String serviceAccount) {

  public WorkloadEndpoint {
    requireNonNull(endpoint, "endpoint");
    requireNonNull(serviceAccount, "serviceAccount");
  }
}
