/**
 * The xDS route stage: route tables compiled from RDS (request matching on path, headers,
 * query parameters and method; weighted clusters; per-route retry, timeout and hash policy),
 * header changes, fault injection, mirroring, and responses made locally ({@code 404
 * no_route}, fault aborts).
 *
 * <p>Data in: {@link io.inboard.mesh.http.internal.xds.XdsHost} compiles a
 * {@code RouteConfiguration} into an immutable {@link io.inboard.mesh.http.internal.route.XdsRouteTable}
 * when RDS changes. Per call, {@code XdsHttp} asks the table for the first matching
 * {@link io.inboard.mesh.http.internal.route.XdsRoute} and applies its faults, mirrors and
 * header changes. Data out: the route's weighted cluster pick and its
 * {@link io.inboard.mesh.http.internal.resilience.CallPolicy}, for the retrying call.
 *
 * <p>Internal: may change at any time.
 */
package io.inboard.mesh.http.internal.route;
