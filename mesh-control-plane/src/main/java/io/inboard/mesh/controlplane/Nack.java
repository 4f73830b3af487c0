package io.inboard.mesh.controlplane;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * A workload rejected a config it was sent (its DiscoveryRequest carried {@code error_detail}).
 *
 * @param typeUrl the xDS type rejected, for example
 *     {@code type.googleapis.com/envoy.config.listener.v3.Listener}
 * @param version the rejected version, or {@code "?"} when the nonce names no response sent on
 *     that stream
 * @param nonce the nonce of the rejected response
 * @param message the client's error detail, as it wrote it
 * @param at when the control plane received the NACK
 */
public record Nack(String typeUrl, String version, String nonce, String message, Instant at) {
  public Nack {
    requireNonNull(typeUrl, "typeUrl");
    requireNonNull(version, "version");
    requireNonNull(nonce, "nonce");
    requireNonNull(message, "message");
    requireNonNull(at, "at");
  }
}
