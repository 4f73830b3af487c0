package io.inboard.mesh.controlplane.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import io.inboard.mesh.controlplane.ControlPlane;
import io.inboard.mesh.controlplane.Diagnostic;
import io.inboard.mesh.controlplane.ResourceId;
import io.inboard.mesh.controlplane.ServiceEndpoint;
import io.inboard.mesh.controlplane.ServicePort;
import io.inboard.mesh.grpc.XdsChannels;
import io.inboard.mesh.testing.MockCluster;
import io.inboard.mesh.testing.GrpcBackendExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The control plane fed from the fabric8 CRUD mock API server (real watches), serving real
 * grpc-xds clients that call real backends on loopback. Each test uses its own service, so that
 * tests share one cluster, control plane and pair of backends.
 */
class KubernetesConfigSourceTest {
  static final String V1 = "127.0.0.2";
  static final String V2 = "127.0.0.3";
  static final Duration CHANGE = Duration.ofSeconds(20);

  static MockCluster cluster;
  static ControlPlane cp;
  static KubernetesConfigSource source;
  static GrpcBackendExtension v1;
  static GrpcBackendExtension v2;
  static XdsChannels xds;
  final List<ManagedChannel> channels = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    cluster = MockCluster.start().installIstioCrds();
    cp = ControlPlane.builder().xdsPort(0).adminPort(-1).start();
    source = KubernetesConfigSource.start(cluster.client(), cp);
    v1 = GrpcBackendExtension.on(V1).build().start();
    v2 = GrpcBackendExtension.on(V2).port(v1.port()).build().start();
    xds = XdsChannels.forControlPlane(cp.xdsAddress()).build();
  }

  @AfterAll
  static void stop() {
    xds.close();
    source.close();
    cp.close();
    v1.close();
    v2.close();
    cluster.close();
  }

  @AfterEach
  void closeChannels() throws InterruptedException {
    for (ManagedChannel ch : channels) {
      ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void servesEndpointsOfKubernetesServices() {
    service("details");
    pod("details-v1-0", "details", V1, "v1");
    pod("details-v2-0", "details", V2, "v2");

    ManagedChannel ch = channel("details");

    await().atMost(CHANGE).until(() -> callsServedBy(ch, 10).size() == 2);
    assertThat(source.registeredEndpoints()).filteredOn(e -> e.host().startsWith("details."))
        .containsExactlyInAnyOrder(
            new ServiceEndpoint("details.default.svc.cluster.local", v1.port(), V1, v1.port(),
                Map.of("app", "details", "version", "v1"), "default"),
            new ServiceEndpoint("details.default.svc.cluster.local", v1.port(), V2, v1.port(),
                Map.of("app", "details", "version", "v2"), "default"));
  }

  @Test
  void followsPodsAsTheDeploymentScales() {
    service("productpage");
    pod("productpage-v1-0", "productpage", V1, "v1");
    ManagedChannel ch = channel("productpage");
    assertThat(callsServedBy(ch, 10)).containsOnlyKeys(V1);

    pod("productpage-v1-1", "productpage", V2, "v1");
    await().atMost(CHANGE).until(() -> callsServedBy(ch, 10).size() == 2);

    cluster.deletePod("default", "productpage-v1-0");
    awaitOnlyServedBy(ch, V2);
  }

  @Test
  void routesToSubsetFromVirtualServiceAndDestinationRuleCustomResources() {
    bothVersions("reviews");
    ManagedChannel ch = channel("reviews");
    await().atMost(CHANGE).until(() -> callsServedBy(ch, 10).size() == 2);

    cluster.applyCustomResource(destinationRule("reviews"));
    // written in v1alpha3, as in older Istio samples: read alike
    cluster.applyCustomResource(allTo("reviews", "v2").replace("/v1\n", "/v1alpha3\n"));

    awaitOnlyServedBy(ch, V2);
    assertThat(source.rejected()).isEmpty();
  }

  @Test
  void rejectsInvalidVirtualServiceAndKeepsPreviousRouting() throws Exception {
    bothVersions("ratings");
    cluster.applyCustomResource(destinationRule("ratings"));
    cluster.applyCustomResource(allTo("ratings", "v2"));
    ManagedChannel ch = channel("ratings");
    awaitOnlyServedBy(ch, V2);

    // would send everything to v1, were it valid
    cluster.applyCustomResource(allTo("ratings", "v1").replace("weight: 100", "weight: abc"));

    ResourceId vs = new ResourceId("VirtualService", "default", "ratings");
    await().atMost(CHANGE).until(() -> source.rejected().containsKey(vs));
    assertThat(source.rejected().get(vs).errors()).extracting(Diagnostic::toString)
        .containsExactly("VirtualService default/ratings: spec.http[0].route[0].weight: 'abc'"
            + " (expected: an integer 0..100)");
    // a pod added after the rejection reaching this client proves it holds the newest config
    try (GrpcBackendExtension v2b = GrpcBackendExtension.on("127.0.0.4").port(v1.port()).build().start()) {
      pod("ratings-v2-1", "ratings", "127.0.0.4", "v2");
      await().atMost(CHANGE).until(() -> callsServedBy(ch, 10).containsKey("127.0.0.4"));
      assertThat(callsServedBy(ch, 20)).containsOnlyKeys(V2, "127.0.0.4");
    }
  }

  @Test
  void rejectsInvalidAuthorizationPolicyAndKeepsThePreviousVersion() {
    String policy = """
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: deny-admin, namespace: default}
        spec:
          action: DENY
          rules: [{to: [{operation: {paths: [%s]}}]}]
        """;
    ResourceId id = new ResourceId("AuthorizationPolicy", "default", "deny-admin");
    cluster.applyCustomResource(policy.formatted("/admin"));
    await().atMost(CHANGE).until(() -> !cp.resources("AuthorizationPolicy", "default",
        "deny-admin").isEmpty());

    cluster.applyCustomResource(policy.formatted("'/admin/{id}'"));

    await().atMost(CHANGE).until(() -> source.rejected().containsKey(id));
    assertThat(source.rejected().get(id).errors()).extracting(Diagnostic::field)
        .containsExactly("spec.rules[0].to[0].operation.paths[0]");
    assertThat(cp.resources("AuthorizationPolicy", "default", "deny-admin").get(0).document()
        .get("spec").toString()).contains("paths=[/admin]");
  }

  @Test
  void deletingVirtualServiceRestoresDefaultRouting() {
    bothVersions("ratings-b");
    cluster.applyCustomResource(destinationRule("ratings-b"));
    cluster.applyCustomResource(allTo("ratings-b", "v2"));
    ManagedChannel ch = channel("ratings-b");
    awaitOnlyServedBy(ch, V2);

    cluster.deleteCustomResource("networking.istio.io", "VirtualService", "default", "ratings-b");

    await().atMost(CHANGE).until(() -> callsServedBy(ch, 10).size() == 2);
    assertThat(cp.resources("VirtualService", "default", "ratings-b")).isEmpty();
  }

  @Test
  void servesEndpointsOnTheirTargetPortUnderTheServicePort() throws Exception {
    try (GrpcBackendExtension pod = GrpcBackendExtension.on("127.0.0.21").build().start()) {
      // clients dial port 80; the pod listens on another port, as with targetPort: 8080
      cluster.service("mapped", "default").selector("app", "mapped")
          .port("grpc", 80, pod.port()).create();
      cluster.pod("mapped-v1-0", "default").ip("127.0.0.21").label("app", "mapped")
          .label("version", "v1").serviceAccount("bookinfo-mapped").create();
      await().atMost(CHANGE).until(() -> source.registeredEndpoints().stream()
          .anyMatch(e -> e.host().startsWith("mapped.")));

      ManagedChannel ch = xds.channel("mapped.default.svc.cluster.local:80");
      channels.add(ch);

      assertThat(callsServedBy(ch, 5)).containsOnlyKeys("127.0.0.21");
      assertThat(source.registeredEndpoints()).filteredOn(e -> e.host().startsWith("mapped."))
          .containsExactly(new ServiceEndpoint("mapped.default.svc.cluster.local", 80,
              "127.0.0.21", pod.port(), Map.of("app", "mapped", "version", "v1"),
              "bookinfo-mapped"));
    }
  }

  @Test
  void serviceWithoutEndpointsFailsFastWithUnavailableAndRecoversWhenAPodReturns() {
    String host = "scaled.default.svc.cluster.local";
    service("scaled");
    await().atMost(CHANGE).until(() -> cp.services().contains(new ServicePort(host, v1.port())));
    ManagedChannel ch = xds.channel(host + ":" + v1.port());
    channels.add(ch);
    // served, with no endpoints: UNAVAILABLE at once, not a wait for a missing listener
    await().atMost(CHANGE).until(() -> statusOfCall(ch) == Status.Code.UNAVAILABLE);

    pod("scaled-v1-0", "scaled", V1, "v1");
    awaitRecoveredOnlyTo(ch, V1);

    cluster.deletePod("default", "scaled-v1-0");
    await().atMost(CHANGE).until(() -> statusOfCall(ch) == Status.Code.UNAVAILABLE);

    pod("scaled-v1-1", "scaled", V2, "v1");
    awaitRecoveredOnlyTo(ch, V2);
  }

  @Test
  void deletedServiceIsNoLongerServed() {
    ServicePort port = new ServicePort("gone.default.svc.cluster.local", v1.port());
    service("gone");
    pod("gone-v1-0", "gone", V1, "v1");
    await().atMost(CHANGE).until(() -> cp.services().contains(port));

    cluster.deleteService("default", "gone");

    // the source's own bookkeeping is updated just after the control plane is: wait for both
    await().atMost(CHANGE).untilAsserted(() -> {
      assertThat(cp.services()).doesNotContain(port);
      assertThat(source.declaredServicePorts()).doesNotContain(port);
      assertThat(source.registeredEndpoints()).noneMatch(e -> e.servicePort().equals(port));
    });
  }

  /** Calls fail UNAVAILABLE until the config with the pod arrives; then only {@code ip} serves. */
  private static void awaitRecoveredOnlyTo(ManagedChannel ch, String ip) {
    await().atMost(CHANGE).ignoreExceptions()
        .until(() -> callsServedBy(ch, 10).keySet().equals(Set.of(ip)));
    assertThat(callsServedBy(ch, 20)).containsOnlyKeys(ip);
  }

  /** A call without wait-for-ready: OK, or how it failed. */
  private static Status.Code statusOfCall(ManagedChannel ch) {
    try {
      SimpleServiceGrpc.newBlockingStub(ch).withDeadlineAfter(5, TimeUnit.SECONDS)
          .unaryRpc(SimpleRequest.getDefaultInstance());
      return Status.Code.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode();
    }
  }

  private void bothVersions(String service) {
    service(service);
    pod(service + "-v1-0", service, V1, "v1");
    pod(service + "-v2-0", service, V2, "v2");
  }

  private static void service(String name) {
    cluster.service(name, "default").selector("app", name).port("grpc", v1.port(), v1.port())
        .create();
  }

  private static void pod(String name, String app, String ip, String version) {
    cluster.pod(name, "default").ip(ip).label("app", app).label("version", version).create();
  }

  private static String destinationRule(String service) {
    return """
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: %s}
        spec:
          host: %s
          subsets:
          - {name: v1, labels: {version: v1}}
          - {name: v2, labels: {version: v2}}
        """.formatted(service, service);
  }

  private static String allTo(String service, String subset) {
    return """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: %s}
        spec:
          hosts: [%s]
          http:
          - route:
            - destination: {host: %s, subset: %s}
              weight: 100
        """.formatted(service, service, service, subset);
  }

  /**
   * A channel to {@code service}, opened once the source has registered an endpoint of it, as
   * the control plane's other tests open theirs once the config is in place.
   */
  private ManagedChannel channel(String service) {
    String host = service + ".default.svc.cluster.local";
    await().atMost(CHANGE).until(() -> source.registeredEndpoints().stream()
        .anyMatch(e -> e.host().equals(host)));
    ManagedChannel ch = xds.channel(service + ".default.svc.cluster.local:" + v1.port());
    channels.add(ch);
    return ch;
  }

  private static void awaitOnlyServedBy(ManagedChannel ch, String ip) {
    await().atMost(CHANGE).until(() -> callsServedBy(ch, 10).keySet().equals(Set.of(ip)));
    assertThat(callsServedBy(ch, 20)).containsOnlyKeys(ip);
  }

  /** How many of {@code n} calls each backend served. */
  private static Map<String, Integer> callsServedBy(ManagedChannel ch, int n) {
    SimpleServiceGrpc.SimpleServiceBlockingStub stub = SimpleServiceGrpc.newBlockingStub(ch);
    Map<String, Integer> served = new HashMap<>();
    for (int i = 0; i < n; i++) {
      String ip = stub.withWaitForReady().withDeadlineAfter(20, TimeUnit.SECONDS)
          .unaryRpc(SimpleRequest.getDefaultInstance()).getResponseMessage();
      served.merge(ip, 1, Integer::sum);
    }
    return served;
  }
}
