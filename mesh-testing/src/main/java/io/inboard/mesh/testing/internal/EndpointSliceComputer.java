package io.inboard.mesh.testing.internal;

import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Computes a Service's EndpointSlices from the pods it selects, the way the Kubernetes
 * EndpointSlice controller does: a named target port is resolved per pod through its container
 * ports (a pod lacking the name gets no port for it), and pods whose resolved ports differ go to
 * different slices, because a slice has one port list for all its endpoints.
 */
public final class EndpointSliceComputer {

  /** The label that ties a slice to its Service. */
  public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
  /** The label the real controller puts on the slices it manages. */
  public static final String MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by";

  private EndpointSliceComputer() {}

  /**
   * The slices {@code service} should have, named {@code <service>-<n>}. A Service that selects no
   * pod gets one empty slice, as in a real cluster.
   */
  public static List<EndpointSlice> compute(ServiceState service, Collection<PodState> pods) {
    Map<List<EndpointPort>, List<Endpoint>> groups = new LinkedHashMap<>();
    pods.stream()
        .filter(service::selects)
        .filter(p -> !p.ip().isEmpty())
        .sorted(Comparator.comparing(PodState::name))
        .forEach(p -> groups.computeIfAbsent(ports(service, p), k -> new ArrayList<>())
            .add(endpoint(p)));
    if (groups.isEmpty()) {
      groups.put(List.of(), List.of());
    }
    List<EndpointSlice> slices = new ArrayList<>();
    int n = 0;
    for (Map.Entry<List<EndpointPort>, List<Endpoint>> g : groups.entrySet()) {
      slices.add(new EndpointSliceBuilder()
          .withNewMetadata()
            .withName(service.name() + "-" + n++)
            .withNamespace(service.namespace())
            .addToLabels(SERVICE_NAME_LABEL, service.name())
            .addToLabels(MANAGED_BY_LABEL, "inboard-mock-cluster")
          .endMetadata()
          .withAddressType("IPv4")
          .withPorts(g.getKey())
          .withEndpoints(g.getValue())
          .build());
    }
    return slices;
  }

  private static List<EndpointPort> ports(ServiceState service, PodState pod) {
    List<EndpointPort> ports = new ArrayList<>();
    for (ServicePortState sp : service.ports()) {
      Integer number = sp.targetPort().getIntVal() != null
          ? sp.targetPort().getIntVal()
          : pod.containerPorts().get(sp.targetPort().getStrVal());
      if (number != null) {
        ports.add(new EndpointPortBuilder()
            .withName(sp.name()).withPort(number).withProtocol("TCP").build());
      }
    }
    return List.copyOf(ports);
  }

  private static Endpoint endpoint(PodState pod) {
    // Kubernetes' graceful-shutdown semantics: a terminating pod is never ready, but stays
    // "serving" while its readiness probe passes.
    EndpointBuilder b = new EndpointBuilder()
        .withAddresses(pod.ip())
        .withNewConditions()
          .withReady(pod.ready() && !pod.terminating())
          .withServing(pod.ready())
          .withTerminating(pod.terminating())
        .endConditions()
        .withNewTargetRef()
          .withKind("Pod").withName(pod.name()).withNamespace(pod.namespace())
        .endTargetRef();
    if (!pod.nodeName().isEmpty()) {
      b.withNodeName(pod.nodeName());
    }
    if (!pod.zone().isEmpty()) {
      b.withZone(pod.zone());
    }
    return b.build();
  }
}
