/**
 * The TLS stage of the client: what a destination's transport speaks ({@code UpstreamTls}: plain
 * HTTP, the mesh's own mTLS, or a DestinationRule's SIMPLE/MUTUAL settings), the JDK
 * {@code SSLContext}s for each, and which SPIFFE IDs each endpoint may present
 * ({@code UpstreamIdentities}, secure naming).
 *
 * <p>Data in: a cluster's parsed TLS settings and its endpoints, on config change. Data out: a
 * JDK {@code SSLContext} per distinct TLS setting, whose trust manager checks a server during the
 * handshake by the endpoint address the engine connected to.
 *
 * <p>Internal: may change at any time.
 */
package io.inboard.mesh.http.internal.tls;
