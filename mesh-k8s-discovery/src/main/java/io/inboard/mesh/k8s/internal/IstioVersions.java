package io.inboard.mesh.k8s.internal;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.inboard.mesh.k8s.internal.catalog.IstioKind;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Picks the version of an Istio kind to watch from its CustomResourceDefinition. */
final class IstioVersions {

  private static final Logger log = LoggerFactory.getLogger(IstioVersions.class);

  private IstioVersions() {}

  /**
   * The first of {@link IstioKind#versions()} that the kind's CRD serves; empty when the CRD does
   * not exist (Istio's CRDs are not installed, so there is nothing to watch). When the CRD cannot
   * be read (RBAC forbids it, the API is down) the preferred version is assumed: recent Istio
   * serves it for every kind.
   */
  static Optional<String> served(KubernetesClient client, IstioKind kind) {
    CustomResourceDefinition crd;
    try {
      crd = client.apiextensions().v1().customResourceDefinitions()
          .withName(kind.crdName()).get();
    } catch (KubernetesClientException e) {
      log.debug("Cannot read CRD {} (HTTP {}); watching {}/{}", kind.crdName(), e.getCode(),
          kind.group(), kind.versions().get(0), e);
      return Optional.of(kind.versions().get(0));
    }
    if (crd == null) {
      log.info("CRD {} is not installed: not watching {} resources", kind.crdName(), kind.kind());
      return Optional.empty();
    }
    for (String version : kind.versions()) {
      for (CustomResourceDefinitionVersion v : crd.getSpec().getVersions()) {
        if (v.getName().equals(version) && Boolean.TRUE.equals(v.getServed())) {
          return Optional.of(version);
        }
      }
    }
    log.warn("CRD {} serves none of {} (expected: one of them): not watching {} resources",
        kind.crdName(), kind.versions(), kind.kind());
    return Optional.empty();
  }
}
