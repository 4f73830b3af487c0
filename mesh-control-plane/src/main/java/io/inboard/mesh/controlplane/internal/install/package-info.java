/**
 * {@code inboardctl install}, {@code manifest generate}, {@code precheck} and {@code uninstall}:
 * the manifests rendered from the templates in {@code io/inboard/mesh/controlplane/install/}
 * (the one source of what install applies), applied to a cluster with server-side apply, waited
 * for, pruned and removed by their labels. Internal: may change at any time.
 */
package io.inboard.mesh.controlplane.internal.install;
