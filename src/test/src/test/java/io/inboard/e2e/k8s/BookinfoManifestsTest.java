package io.inboard.e2e.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Bookinfo's Kubernetes manifests, checked as a real API server and kubelet would read them,
 * without one: every document is a known kind with no unknown field, and the documents agree
 * with each other (a Service selects pods that have its target port, a pod runs as a
 * ServiceAccount that exists). The RBAC and CRD checks are in {@link ControlPlaneManifestsTest}.
 */
class BookinfoManifestsTest {

  @Test
  void everyDocumentIsAKnownKindWithNoUnknownField() {
    List<String> problems = new ArrayList<>();
    for (Path file : Manifests.all()) {
      List<ManifestDocument> docs = Manifests.read(file);
      assertThat(docs).as("documents of %s", file).isNotEmpty();
      for (ManifestDocument doc : docs) {
        UnknownFields.in(doc.resource()).forEach(f -> problems.add(doc.describe()
            + ": unknown field " + f));
      }
    }
    assertThat(problems).as("fields Kubernetes does not know (misspelt or misplaced)").isEmpty();
  }

  @Test
  void everyDeploymentRunsAsAServiceAccountDeclaredBesideIt() {
    for (Path file : List.of(Manifests.BOOKINFO, Manifests.CONTROL_PLANE)) {
      List<String> accounts = Manifests.read(file, ServiceAccount.class).stream()
          .map(a -> namespace(a.getMetadata().getNamespace()) + "/" + a.getMetadata().getName())
          .toList();
      for (Deployment d : Manifests.read(file, Deployment.class)) {
        String wanted = namespace(d.getMetadata().getNamespace()) + "/"
            + d.getSpec().getTemplate().getSpec().getServiceAccountName();
        assertThat(accounts).as("%s: Deployment %s runs as %s", file.getFileName(),
            d.getMetadata().getName(), wanted).contains(wanted);
      }
    }
  }

  @Test
  void everyServiceSelectsDeploymentPodsThatHaveItsTargetPort() {
    for (Path file : List.of(Manifests.BOOKINFO, Manifests.CONTROL_PLANE)) {
      List<Deployment> deployments = Manifests.read(file, Deployment.class);
      for (Service s : Manifests.read(file, Service.class)) {
        String service = file.getFileName() + ": Service " + s.getMetadata().getName();
        Map<String, String> selector = s.getSpec().getSelector();
        assertThat(selector).as("%s: selector", service).isNotEmpty();
        List<Deployment> selected = deployments.stream()
            .filter(d -> Objects.equals(namespace(d.getMetadata().getNamespace()),
                namespace(s.getMetadata().getNamespace())))
            .filter(d -> d.getSpec().getTemplate().getMetadata().getLabels().entrySet()
                .containsAll(selector.entrySet()))
            .toList();
        assertThat(selected).as("%s: Deployments whose pods match selector %s", service,
            selector).isNotEmpty();
        for (ServicePort port : s.getSpec().getPorts()) {
          for (Deployment d : selected) {
            assertThat(container(d).getPorts()).as("%s: port %s targets %s; container ports"
                    + " of Deployment %s", service, port.getName(),
                    port.getTargetPort().getValue(), d.getMetadata().getName())
                .anyMatch(cp -> targets(port.getTargetPort(), cp));
          }
        }
      }
    }
  }

  @Test
  void servicesAndDeploymentsFollowTheBookinfoContract() {
    Map<String, String> portNames = Map.of("productpage", "http", "details", "http",
        "ratings", "http", "reviews", "grpc");
    List<Service> services = Manifests.read(Manifests.BOOKINFO, Service.class);
    assertThat(services).extracting(s -> s.getMetadata().getName())
        .containsExactlyInAnyOrderElementsOf(portNames.keySet());
    for (Service s : services) {
      String name = s.getMetadata().getName();
      assertThat(s.getSpec().getPorts()).as("Service %s: ports", name).singleElement()
          .satisfies(p -> {
            assertThat(p.getName()).as("Service %s: port name", name)
                .isEqualTo(portNames.get(name));
            assertThat(p.getPort()).as("Service %s: port", name).isEqualTo(9080);
            assertThat(p.getAppProtocol()).as("Service %s: appProtocol", name)
                .isEqualTo(name.equals("reviews") ? "grpc" : null);
          });
    }

    List<Deployment> deployments = Manifests.read(Manifests.BOOKINFO, Deployment.class);
    assertThat(deployments).extracting(d -> d.getMetadata().getName())
        .containsExactlyInAnyOrder("productpage-v1", "details-v1", "reviews-v1", "reviews-v2",
            "reviews-v3", "ratings-v1");
    for (Deployment d : deployments) {
      String workload = d.getMetadata().getName();
      String app = workload.substring(0, workload.lastIndexOf('-'));
      String version = workload.substring(workload.lastIndexOf('-') + 1);
      assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
          .as("Deployment %s: pod labels", workload)
          .containsExactlyInAnyOrderEntriesOf(Map.of("app", app, "version", version,
              "security.istio.io/tlsMode", "istio"));
      // the identity as Istio mounts it: a token for the CA's audience and the root ConfigMap
      assertThat(d.getSpec().getTemplate().getSpec().getVolumes())
          .as("Deployment %s: volumes", workload)
          .anyMatch(v -> v.getProjected() != null && v.getProjected().getSources().stream()
              .anyMatch(src -> src.getServiceAccountToken() != null
                  && "istio-ca".equals(src.getServiceAccountToken().getAudience())
                  && "istio-token".equals(src.getServiceAccountToken().getPath())))
          .anyMatch(v -> v.getConfigMap() != null
              && "istio-ca-root-cert".equals(v.getConfigMap().getName()));
      assertThat(container(d).getVolumeMounts()).as("Deployment %s: volumeMounts", workload)
          .extracting(m -> m.getMountPath())
          .contains("/var/run/secrets/tokens", "/var/run/secrets/istio");
      assertThat(container(d).getEnv()).as("Deployment %s: env", workload)
          .anyMatch(e -> e.getName().equals("CA_ADDR")
              && e.getValue().equals("inboard-control-plane.inboard-system.svc:15012"));
      assertThat(d.getSpec().getTemplate().getSpec().getServiceAccountName())
          .as("Deployment %s: serviceAccountName", workload).isEqualTo("bookinfo-" + app);
      Container c = container(d);
      assertThat(c.getImage()).as("Deployment %s: image", workload)
          .isEqualTo("inboard/bookinfo:0.1.0");
      assertThat(c.getArgs()).as("Deployment %s: args", workload).startsWith(workload)
          .containsSubsequence("--bind", "0.0.0.0")
          .containsSubsequence("--port", "9080")
          .containsSubsequence("--admin-port", "15020")
          .containsSubsequence("--control-plane", controlPlaneXdsAddress());
      assertThat(env(c, "INBOARD_WORKLOAD_NAME").getValue())
          .as("Deployment %s: INBOARD_WORKLOAD_NAME", workload).isEqualTo(workload);
      assertThat(Stream.of("POD_NAMESPACE", "INSTANCE_IP", "SERVICE_ACCOUNT")
              .map(n -> n + "=" + env(c, n).getValueFrom().getFieldRef().getFieldPath()))
          .as("Deployment %s: env from the downward API", workload)
          .containsExactly("POD_NAMESPACE=metadata.namespace", "INSTANCE_IP=status.podIP",
              "SERVICE_ACCOUNT=spec.serviceAccountName");
      assertThat(c.getPorts()).as("Deployment %s: container ports", workload)
          .extracting(p -> p.getName() + "=" + p.getContainerPort())
          .containsExactlyInAnyOrder(portNames.get(app) + "=9080", "http-admin=15020");
    }
  }

  @Test
  void everyContainerIsProbedForReadinessOnAPortItListensOn() {
    for (Deployment d : deployments()) {
      Container c = container(d);
      Probe probe = c.getReadinessProbe();
      String where = "Deployment " + d.getMetadata().getName() + ": readinessProbe";
      assertThat(probe).as(where).isNotNull();
      if (probe.getHttpGet() != null) {
        IntOrString port = probe.getHttpGet().getPort();
        assertThat(probe.getHttpGet().getPath()).as("%s.httpGet.path", where).startsWith("/");
        assertThat(c.getPorts()).as("%s.httpGet.port %s", where, port.getValue())
            .anyMatch(cp -> targets(port, cp));
      } else if (probe.getGrpc() != null) {
        // a gRPC probe takes a port number only
        assertThat(c.getPorts()).extracting(ContainerPort::getContainerPort)
            .as("%s.grpc.port", where).contains(probe.getGrpc().getPort());
      } else {
        fail(where + ": no httpGet or grpc handler (expected: the workload's health endpoint)");
      }
    }
    Probe reviews = deployments().stream()
        .filter(d -> d.getMetadata().getName().equals("reviews-v2")).findFirst()
        .map(d -> container(d).getReadinessProbe()).orElseThrow();
    assertThat(reviews.getGrpc()).as("reviews serves gRPC only: its probe must be grpc")
        .isNotNull();
  }

  @Test
  void everyContainerRequestsCpuAndMemory() {
    for (Deployment d : deployments()) {
      assertThat(container(d).getResources().getRequests())
          .as("Deployment %s: resources.requests", d.getMetadata().getName())
          .containsKeys("cpu", "memory");
    }
  }

  /** {@code inboard-control-plane.inboard-system:15010}, from control-plane.yaml's Service. */
  static String controlPlaneXdsAddress() {
    Service s = Manifests.read(Manifests.CONTROL_PLANE, Service.class).get(0);
    ServicePort xds = s.getSpec().getPorts().stream()
        .filter(p -> p.getName().equals("grpc-xds")).findFirst()
        .orElseThrow(() -> new AssertionError("control-plane.yaml: Service "
            + s.getMetadata().getName() + " has no port grpc-xds"));
    return s.getMetadata().getName() + "." + s.getMetadata().getNamespace() + ":" + xds.getPort();
  }

  static Container container(Deployment d) {
    List<Container> containers = d.getSpec().getTemplate().getSpec().getContainers();
    assertThat(containers).as("Deployment %s: containers", d.getMetadata().getName())
        .hasSize(1);
    return containers.get(0);
  }

  private static List<Deployment> deployments() {
    return Stream.of(Manifests.BOOKINFO, Manifests.CONTROL_PLANE)
        .flatMap(f -> Manifests.read(f, Deployment.class).stream()).toList();
  }

  private static EnvVar env(Container c, String name) {
    return c.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("container " + c.getName() + ": no env " + name));
  }

  private static boolean targets(IntOrString target, ContainerPort port) {
    return target.getStrVal() != null ? target.getStrVal().equals(port.getName())
        : target.getIntVal().equals(port.getContainerPort());
  }

  /** A namespace as kubectl resolves it: none named is the current one, {@code default}. */
  private static String namespace(String namespace) {
    return namespace == null ? "default" : namespace;
  }
}
