package io.inboard.mesh.testing.internal;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersionBuilder;
import java.util.List;

/**
 * The CustomResourceDefinitions Istio installs for the kinds Inboard reads, with the versions
 * recent Istio serves: v1 stored, v1beta1 (and v1alpha3 for networking; v1alpha1 instead for
 * telemetry) served too. Schemas are
 * left out: the mock does not validate against them.
 */
public final class IstioCrds {

  private IstioCrds() {}

  public static List<CustomResourceDefinition> all() {
    return List.of(
        networking("VirtualService", "virtualservices"),
        networking("DestinationRule", "destinationrules"),
        networking("Gateway", "gateways"),
        networking("ServiceEntry", "serviceentries"),
        networking("WorkloadEntry", "workloadentries"),
        security("PeerAuthentication", "peerauthentications"),
        security("AuthorizationPolicy", "authorizationpolicies"),
        security("RequestAuthentication", "requestauthentications"),
        crd("telemetry.istio.io", "Telemetry", "telemetries", List.of("v1", "v1alpha1")));
  }

  private static CustomResourceDefinition networking(String kind, String plural) {
    return crd("networking.istio.io", kind, plural, List.of("v1", "v1beta1", "v1alpha3"));
  }

  private static CustomResourceDefinition security(String kind, String plural) {
    return crd("security.istio.io", kind, plural, List.of("v1", "v1beta1"));
  }

  private static CustomResourceDefinition crd(
      String group, String kind, String plural, List<String> versions) {
    List<CustomResourceDefinitionVersion> served = versions.stream()
        .map(v -> new CustomResourceDefinitionVersionBuilder().withName(v).withServed(true)
            .withStorage(v.equals(versions.get(0))).build())
        .toList();
    return new CustomResourceDefinitionBuilder()
        .withNewMetadata().withName(plural + "." + group).endMetadata()
        .withNewSpec()
          .withGroup(group)
          .withScope("Namespaced")
          .withNewNames().withKind(kind).withPlural(plural)
            .withSingular(kind.toLowerCase(java.util.Locale.ROOT)).withListKind(kind + "List")
          .endNames()
          .withVersions(served)
        .endSpec()
        .build();
  }
}
