/**
 * The xDS-mode router: {@link io.inboard.mesh.http.internal.xds.XdsHttp} watches, over its own
 * ADS stream, the Listener and RouteConfiguration of each host called ({@code XdsHost}) and the
 * Cluster and endpoints of each cluster its routes name ({@code XdsCluster},
 * {@code XdsClusterPolicy}), NACKing what it cannot honour with a message naming resource and
 * field.
 *
 * <p>Data in: xDS updates from the control plane, applied one at a time on the client's
 * scheduler thread; they replace route tables ({@link io.inboard.mesh.http.internal.route}) and
 * cluster destinations. Data out: per call, the matched route's faults, mirrors and header
 * changes, then a {@link io.inboard.mesh.http.internal.resilience.RetryingCall} on the picked
 * cluster's destination.
 *
 * <p>Internal: may change at any time.
 */
package io.inboard.mesh.http.internal.xds;
