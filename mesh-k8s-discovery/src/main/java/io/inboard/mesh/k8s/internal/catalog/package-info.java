/**
 * What a control plane reads from the Kubernetes API, whole namespaces at a time:
 * {@link io.inboard.mesh.k8s.internal.catalog.KubernetesCatalog} delivers snapshots of every
 * Service with its ports and endpoints ({@link io.inboard.mesh.k8s.internal.catalog.ServiceCatalog})
 * and of every Istio custom resource ({@link io.inboard.mesh.k8s.internal.catalog.IstioConfig}).
 * Applications do not need it: they use {@link io.inboard.mesh.k8s.KubernetesDiscovery}. Not
 * API: it may change at any time, without notice.
 */
package io.inboard.mesh.k8s.internal.catalog;
