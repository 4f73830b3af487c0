/**
 * Istio's AuthorizationPolicy, compiled per workload and evaluated per request, the same on
 * both planes.
 */
package io.inboard.mesh.security.internal.authz;
