/**
 * Internals of {@code mesh-xds}, shared by {@code mesh-grpc} and {@code mesh-http}. Nothing here
 * is public API: it may change at any time, without notice.
 */
package io.inboard.mesh.xds.internal;
