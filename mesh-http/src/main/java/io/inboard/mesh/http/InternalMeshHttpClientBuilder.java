package io.inboard.mesh.http;

import io.inboard.mesh.http.internal.transport.TransportKind;

/**
 * Builder settings for Inboard's own modules (the ingress gateway, benchmarks), not for
 * applications: they may change in any release.
 */
public final class InternalMeshHttpClientBuilder {
  private InternalMeshHttpClientBuilder() {}

  /** What sends the client's tries (default {@link TransportKind#JDK}). */
  public static MeshHttpClientBuilder transport(MeshHttpClientBuilder builder, TransportKind kind) {
    builder.transport(kind);
    return builder;
  }
}
