package io.inboard.mesh.controlplane.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.grpc.StatusOr;
import io.inboard.mesh.controlplane.ControlPlane;
import io.inboard.mesh.controlplane.GatewayXdsClient;
import io.inboard.mesh.testing.MockCluster;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Istio Gateways from the Kubernetes API (fabric8 CRUD mock): a Gateway custom resource opens
 * the ingress gateway's listener, the VirtualService bound to it gives its routes, and deleting
 * the Gateway closes the listener.
 */
class KubernetesGatewayTest {
  static final Duration CHANGE = Duration.ofSeconds(20);

  MockCluster cluster;
  ControlPlane cp;
  KubernetesConfigSource source;
  GatewayXdsClient gateway;

  @BeforeEach
  void start() throws Exception {
    cluster = MockCluster.start().installIstioCrds();
    cp = ControlPlane.builder().xdsPort(0).adminPort(-1).start();
    source = KubernetesConfigSource.builder(cluster.client(), cp).certificateAuthority(false)
        .start();
    gateway = new GatewayXdsClient(cp.xdsAddress());
  }

  @AfterEach
  void stop() {
    gateway.close();
    source.close();
    cp.close();
    cluster.close();
  }

  @Test
  void servesAGatewayCustomResourceAndClosesItsListenerWhenItIsDeleted() {
    AtomicReference<StatusOr<Listener>> index = gateway.watchIndex();

    cluster.applyCustomResource("""
        apiVersion: networking.istio.io/v1alpha3
        kind: Gateway
        metadata: {name: bookinfo-gateway, namespace: default}
        spec:
          selector: {istio: ingressgateway}
          servers:
          - port: {number: 8080, name: http, protocol: HTTP}
            hosts: ["*"]
        """);
    cluster.applyCustomResource("""
        apiVersion: networking.istio.io/v1alpha3
        kind: VirtualService
        metadata: {name: bookinfo, namespace: default}
        spec:
          hosts: ["*"]
          gateways: [bookinfo-gateway]
          http:
          - match: [{uri: {exact: /productpage}}]
            route: [{destination: {host: productpage, port: {number: 9080}}}]
        """);

    await().atMost(CHANGE).until(() -> GatewayXdsClient.listenerNames(index.get()),
        names -> List.of("0.0.0.0_8080").equals(names));
    AtomicReference<StatusOr<RouteConfiguration>> routes =
        gateway.watch(GatewayXdsClient.RDS, "http.8080");
    await().atMost(CHANGE).until(() -> routes.get() != null && routes.get().hasValue()
        && routes.get().getValue().getVirtualHostsCount() == 1);
    assertThat(routes.get().getValue().getVirtualHosts(0).getRoutes(0).getMatch().getPath())
        .isEqualTo("/productpage");

    cluster.deleteCustomResource("networking.istio.io", "Gateway", "default",
        "bookinfo-gateway");

    await().atMost(CHANGE).until(() -> GatewayXdsClient.listenerNames(index.get()),
        names -> names != null && names.isEmpty());
    assertThat(cp.resources("Gateway", "", "")).isEmpty();
  }
}
