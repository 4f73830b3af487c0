/**
 * The load-balancing stage: a destination's endpoints and which one a try goes to. An
 * {@link io.inboard.mesh.http.internal.lb.EndpointSet} keeps each endpoint's state across
 * updates, ejects outliers ({@code OutlierEjector}; below {@code minHealthPercent} left in, picks
 * ignore ejection, as Envoy's panic mode), applies locality priority and precomputes a
 * picker (round robin, least request, random, ring hash, pick first) into an immutable
 * {@link io.inboard.mesh.http.internal.lb.EndpointSnapshot}.
 *
 * <p>Data in: discovery or EDS endpoint lists, and each try's outcome (which may eject an
 * endpoint). Both rebuild the snapshot under a lock. Data out: per try, the
 * {@link io.inboard.mesh.http.internal.resilience.RetryingCall} reads the snapshot and picks an
 * endpoint ({@code EndpointPicker.pick}, with a request hash from {@code HashKeys}), then
 * hands it to the transport.
 *
 * <p>Internal: may change at any time.
 */
package io.inboard.mesh.http.internal.lb;
