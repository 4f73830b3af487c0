/**
 * The transport stage: the JDK {@code HttpClient} that sends each try, readdressed to the picked
 * endpoint ({@code Requests}), and where the JDK's async sends would start a thread per
 * response, a bounded pool of reused threads for blocking sends.
 *
 * <p>Data in: a readdressed request per try from the
 * {@link io.inboard.mesh.http.internal.resilience.RetryingCall}, or an unchanged request for a
 * host outside the mesh. Data out: the JDK's response future, back to the retrying call.
 *
 * <p>Internal: may change at any time.
 */
package io.inboard.mesh.http.internal.transport;
