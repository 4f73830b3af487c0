/**
 * The server's transport security: {@link
 * io.inboard.mesh.grpc.internal.tls.MeshServerNegotiator} decides per accepted connection,
 * from the port's mTLS mode in force, between TLS requiring a client certificate, plaintext, or
 * sniffing the first bytes (PERMISSIVE); {@link
 * io.inboard.mesh.grpc.internal.tls.ServerTransportSecurity} builds the one {@code SslContext}
 * over the workload's rotating identity and the server builder around the negotiator.
 *
 * <p>Data in: the mesh's workload identity and inbound mTLS policy. Data out: grpc-netty server
 * credentials and a configured {@code NettyServerBuilder}.
 *
 * <p>Uses grpc-netty's {@code @Internal} negotiator API (pinned by {@code
 * MeshServerNegotiatorContractTest}). Internal: may change at any time.
 */
package io.inboard.mesh.grpc.internal.tls;
