/**
 * The seam between the client's core and its two routers: {@link
 * io.inboard.mesh.http.internal.router.Router} and the {@link
 * io.inboard.mesh.http.internal.router.BoundService} a declarative client sends through. It sits
 * below both {@code internal} ({@code ClientCore}, {@code KubernetesRouter}) and
 * {@code internal.xds} ({@code XdsHttp}), so that the xDS router does not depend on the core that
 * picks it.
 *
 * <p>Internal: may change at any time.
 */
package io.inboard.mesh.http.internal.router;
