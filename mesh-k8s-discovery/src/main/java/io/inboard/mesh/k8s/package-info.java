/**
 * Service discovery straight from the Kubernetes API: {@link
 * io.inboard.mesh.k8s.KubernetesDiscovery} watches Services, EndpointSlices and Pods with fabric8
 * shared informers. Adding this module to the class path makes {@code
 * DiscoveryMode.KUBERNETES} work through {@link io.inboard.mesh.k8s.KubernetesDiscoveryProvider}.
 */
package io.inboard.mesh.k8s;
