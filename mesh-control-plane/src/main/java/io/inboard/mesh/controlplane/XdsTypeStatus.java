package io.inboard.mesh.controlplane;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What one workload holds of one xDS type.
 *
 * @param typeUrl the xDS type, for example
 *     {@code type.googleapis.com/envoy.config.cluster.v3.Cluster}
 * @param sentVersion the version last sent to the workload ({@code ""} before the first)
 * @param ackedVersion the version the workload last accepted ({@code ""} before the first ACK)
 * @param nacks the rejections of this type, oldest first (the last 16 are kept)
 */
public record XdsTypeStatus(String typeUrl, String sentVersion, String ackedVersion,
    List<Nack> nacks) {
  public XdsTypeStatus {
    requireNonNull(typeUrl, "typeUrl");
    requireNonNull(sentVersion, "sentVersion");
    requireNonNull(ackedVersion, "ackedVersion");
    nacks = List.copyOf(nacks);
  }

  /** Whether the workload holds what it was last sent. */
  public boolean inSync() {
    return !sentVersion.isEmpty() && sentVersion.equals(ackedVersion);
  }
}
