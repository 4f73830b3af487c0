/**
 * Internals of {@code mesh-grpc}. Nothing here is public API: it may change at any time,
 * without notice.
 */
package io.inboard.mesh.grpc.internal;
