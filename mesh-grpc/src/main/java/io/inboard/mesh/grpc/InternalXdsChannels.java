package io.inboard.mesh.grpc;

import io.inboard.mesh.xds.internal.InMemoryCertificates;

/**
 * What Inboard's own modules set on {@link XdsChannels} and applications do not: kept off the
 * public builder because its types are internal and may change. Not API.
 */
public final class InternalXdsChannels {
  private InternalXdsChannels() {}

  /**
   * The workload certificates for clusters whose {@code UpstreamTlsContext} names the
   * certificate providers {@code default} and {@code ROOTCA} (Istio's ISTIO_MUTUAL); the mesh
   * sets them from its workload identity. Without them grpc-xds NACKs clusters that ask for TLS.
   */
  public static XdsChannels.Builder certificates(XdsChannels.Builder builder,
      InMemoryCertificates certificates) {
    return builder.certificates(certificates);
  }
}
