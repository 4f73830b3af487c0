/**
 * Internals of Kubernetes discovery: informers, endpoint resolution, listener delivery. Not API:
 * anything here may change at any time.
 */
package io.inboard.mesh.k8s.internal;
