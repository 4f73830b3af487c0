/**
 * Feeds a control plane from the Kubernetes API: {@link
 * io.inboard.mesh.controlplane.kubernetes.KubernetesConfigSource} watches Services,
 * EndpointSlices, Pods and the Istio custom resources.
 */
package io.inboard.mesh.controlplane.kubernetes;
