package io.inboard.e2e.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.inboard.mesh.controlplane.ControlPlane;
import io.inboard.mesh.controlplane.ServiceEndpoint;
import io.inboard.mesh.controlplane.kubernetes.KubernetesConfigSource;
import io.inboard.mesh.testing.MockCluster;
import io.inboard.mesh.testing.MockPodBuilder;
import io.inboard.mesh.testing.MockServiceBuilder;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * bookinfo.yaml and istio-crds.yaml applied to the fabric8 CRUD mock API server, with one ready
 * pod per Deployment as the kubelet would start it (the template's labels, service account and
 * named container ports; a loopback IP), and Istio's own {@code destination-rule-all.yaml} and
 * {@code virtual-service-all-v1.yaml} applied unchanged. A real control plane in Kubernetes mode
 * must then serve, over xDS, every service's endpoints, reviews' three subsets and the v1
 * routes.
 *
 * <p>The expected endpoints below are written out, not read from the YAML: a wrong selector,
 * label, target port name or container port in bookinfo.yaml changes what is served and fails
 * these tests.
 */
class BookinfoOnMockClusterTest {
  static final Duration CONVERGED = Duration.ofSeconds(30);
  static final String NS = "default";
  /** The IP each Deployment's pod gets: any 127.0.0.0/8 address works on loopback. */
  static final Map<String, String> POD_IPS = Map.of("productpage-v1", "127.0.0.11",
      "details-v1", "127.0.0.12", "reviews-v1", "127.0.0.13", "reviews-v2", "127.0.0.14",
      "reviews-v3", "127.0.0.15", "ratings-v1", "127.0.0.16");
  static final List<String> SERVICES = List.of("productpage", "details", "reviews", "ratings");

  static MockCluster cluster;
  static ControlPlane cp;
  static KubernetesConfigSource source;
  static XdsProbe xds;

  @BeforeAll
  static void applyBookinfo() throws Exception {
    cluster = MockCluster.start();
    // before the control plane starts: it reads each CRD once, to pick the version to watch
    for (CustomResourceDefinition crd :
        Manifests.read(Manifests.ISTIO_CRDS, CustomResourceDefinition.class)) {
      cluster.client().resource(crd).create();
    }
    Manifests.read(Manifests.BOOKINFO, Service.class).forEach(BookinfoOnMockClusterTest::create);
    Manifests.read(Manifests.BOOKINFO, Deployment.class)
        .forEach(BookinfoOnMockClusterTest::startPod);

    cp = ControlPlane.builder().xdsPort(0).adminPort(-1).start();
    source = KubernetesConfigSource.start(cluster.client(), cp);
    xds = new XdsProbe(cp.xdsAddress());

    for (String sample : List.of("destination-rule-all.yaml", "virtual-service-all-v1.yaml")) {
      Manifests.documents(Manifests.ISTIO_SAMPLES.resolve(sample))
          .forEach(cluster::applyCustomResource);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (xds != null) {
      xds.close();
    }
    if (source != null) {
      source.close();
    }
    if (cp != null) {
      cp.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void servesEveryServiceWithItsPodsOnPort9080() {
    Map<String, Set<String>> expected = Map.of(
        cluster("productpage", ""), Set.of("127.0.0.11:9080"),
        cluster("details", ""), Set.of("127.0.0.12:9080"),
        cluster("reviews", ""), Set.of("127.0.0.13:9080", "127.0.0.14:9080", "127.0.0.15:9080"),
        cluster("ratings", ""), Set.of("127.0.0.16:9080"));

    awaitServed(expected);
  }

  @Test
  void servesTheSubsetsOfIstiosDestinationRulesWithTheirPods() {
    Map<String, Set<String>> expected = Map.of(
        cluster("productpage", "v1"), Set.of("127.0.0.11:9080"),
        cluster("details", "v1"), Set.of("127.0.0.12:9080"),
        cluster("reviews", "v1"), Set.of("127.0.0.13:9080"),
        cluster("reviews", "v2"), Set.of("127.0.0.14:9080"),
        cluster("reviews", "v3"), Set.of("127.0.0.15:9080"),
        cluster("ratings", "v1"), Set.of("127.0.0.16:9080"));

    awaitServed(expected);
  }

  @Test
  void routesEveryServiceToV1AsIstiosVirtualServicesSay() {
    Map<String, Set<String>> expected = new LinkedHashMap<>();
    SERVICES.forEach(s -> expected.put(host(s) + ":9080", Set.of(cluster(s, "v1"))));

    await().atMost(CONVERGED).untilAsserted(() ->
        assertThat(xds.routeTargets(expected.keySet())).isEqualTo(expected));
    assertThat(source.rejected()).as("Istio resources the control plane rejected").isEmpty();
  }

  @Test
  void registersEndpointsWithTheirPodsLabelsAndServiceAccount() {
    await().atMost(CONVERGED).untilAsserted(() ->
        assertThat(source.registeredEndpoints()).filteredOn(e -> e.host().equals(host("reviews")))
            .containsExactlyInAnyOrder(reviews("127.0.0.13", "v1"), reviews("127.0.0.14", "v2"),
                reviews("127.0.0.15", "v3")));
  }

  private static ServiceEndpoint reviews(String ip, String version) {
    return new ServiceEndpoint(host("reviews"), 9080, ip, 9080,
        // the pod label that makes clients reach it over mTLS (auto-mTLS)
        Map.of("app", "reviews", "version", version, "security.istio.io/tlsMode", "istio"),
        "bookinfo-reviews");
  }

  /** Waits until CDS serves every cluster of {@code expected} and EDS gives exactly its endpoints. */
  private static void awaitServed(Map<String, Set<String>> expected) {
    await().atMost(CONVERGED).untilAsserted(() -> {
      assertThat(xds.clusters()).containsAll(expected.keySet());
      assertThat(xds.endpoints(expected.keySet())).isEqualTo(expected);
    });
  }

  /** Declares the Service as written: its selector, and each port with its target port. */
  private static void create(Service s) {
    MockServiceBuilder b = cluster.service(s.getMetadata().getName(), NS);
    s.getSpec().getSelector().forEach(b::selector);
    for (ServicePort p : s.getSpec().getPorts()) {
      IntOrString target = p.getTargetPort();
      if (target == null) {
        b.port(p.getName(), p.getPort(), p.getPort());
      } else if (target.getStrVal() != null) {
        b.port(p.getName(), p.getPort(), target.getStrVal());
      } else {
        b.port(p.getName(), p.getPort(), target.getIntVal());
      }
    }
    b.create();
  }

  /** Starts one ready pod of the Deployment, as its ReplicaSet and the kubelet would. */
  private static void startPod(Deployment d) {
    String name = d.getMetadata().getName();
    String ip = POD_IPS.get(name);
    assertThat(ip).as("pod IP for Deployment %s (expected: one of %s)", name, POD_IPS.keySet())
        .isNotNull();
    PodTemplateSpec template = d.getSpec().getTemplate();
    MockPodBuilder pod = cluster.pod(name + "-0", NS).ip(ip).ready(true)
        .serviceAccount(template.getSpec().getServiceAccountName());
    template.getMetadata().getLabels().forEach(pod::label);
    for (ContainerPort p : BookinfoManifestsTest.container(d).getPorts()) {
      if (p.getName() != null) {
        pod.containerPort(p.getName(), p.getContainerPort());
      }
    }
    pod.create();
  }

  private static String host(String service) {
    return service + "." + NS + ".svc.cluster.local";
  }

  private static String cluster(String service, String subset) {
    return "outbound|9080|" + subset + "|" + host(service);
  }
}
