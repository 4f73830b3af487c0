package io.inboard.mesh.testing.internal;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import java.util.List;

/** Turns declared state into the API objects a real cluster would hold. */
public final class ResourceFactory {

  /** Marks a pod that {@code MockCluster.startTerminating} put into graceful shutdown. */
  public static final String TERMINATING_ANNOTATION = "inboard.io/terminating";

  private ResourceFactory() {}

  public static Namespace namespace(String name) {
    return new NamespaceBuilder().withNewMetadata().withName(name).endMetadata()
        .withNewStatus().withPhase("Active").endStatus().build();
  }

  public static Service service(ServiceState s) {
    List<ServicePort> ports = s.ports().stream()
        .map(p -> new ServicePortBuilder()
            .withName(p.name().isEmpty() ? null : p.name())
            .withPort(p.port())
            .withTargetPort(p.targetPort())
            .withProtocol("TCP")
            .build())
        .toList();
    return new ServiceBuilder()
        .withNewMetadata().withName(s.name()).withNamespace(s.namespace()).endMetadata()
        .withNewSpec()
          .withType("ClusterIP")
          .withSelector(s.selector().isEmpty() ? null : s.selector())
          .withPorts(ports)
        .endSpec()
        .build();
  }

  public static Pod pod(PodState p) {
    List<ContainerPort> ports = p.containerPorts().entrySet().stream()
        .map(e -> new ContainerPortBuilder()
            .withName(e.getKey()).withContainerPort(e.getValue()).withProtocol("TCP").build())
        .toList();
    PodBuilder b = new PodBuilder()
        .withNewMetadata()
          .withName(p.name())
          .withNamespace(p.namespace())
          .withLabels(p.labels())
        .endMetadata()
        .withNewSpec()
          .withNodeName(p.nodeName().isEmpty() ? null : p.nodeName())
          .withServiceAccountName(p.serviceAccount().isEmpty() ? null : p.serviceAccount())
          .addNewContainer().withName("app").withImage("inboard/fake").withPorts(ports)
          .endContainer()
        .endSpec()
        .withNewStatus()
          .withPhase("Running")
          .withPodIP(p.ip().isEmpty() ? null : p.ip())
          .addNewCondition().withType("Ready").withStatus(p.ready() ? "True" : "False")
          .endCondition()
        .endStatus();
    if (p.terminating()) {
      // Not metadata.deletionTimestamp, as a real API server would set: the CRUD mock deletes
      // an object as soon as it is written with one, and discovery needs the pod's labels
      // while it terminates.
      b.editMetadata().addToAnnotations(TERMINATING_ANNOTATION, "true").endMetadata();
    }
    return b.build();
  }
}
