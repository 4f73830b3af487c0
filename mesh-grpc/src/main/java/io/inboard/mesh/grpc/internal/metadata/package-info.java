/**
 * gRPC metadata shared by the client and the server side: {@link
 * io.inboard.mesh.grpc.internal.metadata.MetadataKeys} makes each header's key once, so that
 * calls only look keys up. It sits below {@link io.inboard.mesh.grpc.internal.client} and
 * {@link io.inboard.mesh.grpc.internal.inbound} so that neither depends on the other.
 *
 * <p>Data in: header names (propagated headers, {@code x-inboard-peer}). Data out: the keys the
 * interceptors read and write metadata with.
 *
 * <p>Internal: may change at any time.
 */
package io.inboard.mesh.grpc.internal.metadata;
