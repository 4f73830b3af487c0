/**
 * The transport stage: what sends each try, readdressed to the picked endpoint
 * ({@code Requests}). {@code Transport} itself is the JDK {@code HttpClient} transport (where the
 * JDK's async sends would start a thread per response, a bounded pool of reused threads runs
 * blocking sends); {@code netty.NettyTransport} is {@link
 * io.inboard.mesh.http.internal.transport.TransportKind#NETTY}'s, for the ingress gateway.
 *
 * <p>Data in: a readdressed request per try from the
 * {@link io.inboard.mesh.http.internal.resilience.RetryingCall}, or an unchanged request for a
 * host outside the mesh. Data out: the response future, back to the retrying call; both
 * transports fail it with the same exception types (see {@code Transport#send}).
 *
 * <p>Internal: may change at any time.
 */
package io.inboard.mesh.http.internal.transport;
