package io.inboard.mesh.k8s.internal.catalog;

import java.util.List;

/**
 * The Istio resource kinds read from the Kubernetes API, each with the versions tried, newest
 * first. The API server converts between served versions, so one version per kind is watched:
 * the first of these that the kind's CustomResourceDefinition serves.
 */
public enum IstioKind {
  VIRTUAL_SERVICE("networking.istio.io", "VirtualService", "virtualservices"),
  DESTINATION_RULE("networking.istio.io", "DestinationRule", "destinationrules"),
  GATEWAY("networking.istio.io", "Gateway", "gateways"),
  SERVICE_ENTRY("networking.istio.io", "ServiceEntry", "serviceentries"),
  WORKLOAD_ENTRY("networking.istio.io", "WorkloadEntry", "workloadentries"),
  PEER_AUTHENTICATION("security.istio.io", "PeerAuthentication", "peerauthentications"),
  AUTHORIZATION_POLICY("security.istio.io", "AuthorizationPolicy", "authorizationpolicies"),
  REQUEST_AUTHENTICATION("security.istio.io", "RequestAuthentication", "requestauthentications"),
  TELEMETRY("telemetry.istio.io", "Telemetry", "telemetries");

  private final String group;
  private final String kind;
  private final String plural;

  IstioKind(String group, String kind, String plural) {
    this.group = group;
    this.kind = kind;
    this.plural = plural;
  }

  /** The API group, such as {@code networking.istio.io}. */
  public String group() {
    return group;
  }

  /** The kind, such as {@code VirtualService}. */
  public String kind() {
    return kind;
  }

  /** The resource's plural, as in its API path, such as {@code virtualservices}. */
  public String plural() {
    return plural;
  }

  /**
   * The versions read, preferred first: v1, v1beta1, and for networking also v1alpha3;
   * telemetry: v1, v1alpha1.
   */
  public List<String> versions() {
    if (group.startsWith("telemetry.")) {
      return List.of("v1", "v1alpha1");
    }
    return group.startsWith("networking.")
        ? List.of("v1", "v1beta1", "v1alpha3") : List.of("v1", "v1beta1");
  }

  /** {@code <plural>.<group>}, the name of the kind's CustomResourceDefinition. */
  public String crdName() {
    return plural + "." + group;
  }
}
