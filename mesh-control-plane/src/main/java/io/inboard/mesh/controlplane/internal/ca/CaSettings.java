package io.inboard.mesh.controlplane.internal.ca;

import static java.util.Objects.requireNonNull;

import io.inboard.mesh.security.internal.pki.KeyAlgorithm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What the CA starts with; see {@code ControlPlane.Builder} for each default.
 *
 * @param securePort the TLS port; 0 picks a free one
 * @param hostNames extra DNS names for the TLS port's certificate
 * @param namespace the control plane's namespace: its certificate's {@code istiod.<ns>.svc}
 *     name, and where the Kubernetes Secrets live
 * @param stateDirectory where the root, the credential key and the bundle file live; null keeps
 *     them in memory (no bundle file)
 * @param cacertsDirectory a plugged-in CA ({@link PluggedCa}), or null to generate a root
 */
public record CaSettings(int securePort, List<String> hostNames, String trustDomain,
    String namespace, KeyAlgorithm keyAlgorithm, Path stateDirectory, Path cacertsDirectory,
    Duration defaultLifetime, Duration maxLifetime, Duration servingLifetime,
    List<String> audiences) {

  public CaSettings {
    hostNames = List.copyOf(hostNames);
    audiences = List.copyOf(audiences);
    requireNonNull(trustDomain, "trustDomain");
    requireNonNull(namespace, "namespace");
    requireNonNull(keyAlgorithm, "keyAlgorithm");
  }
}
