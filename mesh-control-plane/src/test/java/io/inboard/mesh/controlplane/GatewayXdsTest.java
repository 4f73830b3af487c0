package io.inboard.mesh.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.grpc.StatusOr;
import io.inboard.mesh.api.internal.MeshXdsNames;
import io.inboard.mesh.xds.internal.RawResourceType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A gateway workload as the gateway data plane is: a grpc-xds client announcing the ingress
 * gateway's namespace and labels, watching the gateway index Listener, its listeners and routes
 * over ADS from a real control plane.
 */
class GatewayXdsTest {
  static final String GATEWAY = """
      apiVersion: networking.istio.io/v1
      kind: Gateway
      metadata: {name: bookinfo-gateway}
      spec:
        selector: {istio: ingressgateway}
        servers:
        - port: {number: 8080, name: http, protocol: HTTP}
          hosts: ["*"]
      """;
  static final String VIRTUAL_SERVICE = """
      apiVersion: networking.istio.io/v1
      kind: VirtualService
      metadata: {name: bookinfo}
      spec:
        hosts: ["*"]
        gateways: [bookinfo-gateway]
        http:
        - match: [{uri: {exact: /productpage}}, {uri: {prefix: /static}}]
          route: [{destination: {host: productpage, port: {number: 9080}}}]
      """;

  private ControlPlane cp;
  private GatewayXdsClient gateway;

  @BeforeEach
  void start() throws Exception {
    cp = ControlPlane.builder().xdsPort(0).start();
    cp.register(new ServiceEndpoint("productpage.default.svc.cluster.local", 9080, "127.0.0.2",
        Map.of("app", "productpage")));
    gateway = new GatewayXdsClient(cp.xdsAddress());
  }

  @AfterEach
  void stop() throws Exception {
    gateway.close();
    cp.close();
  }

  private <M extends Message> AtomicReference<StatusOr<M>> watch(RawResourceType<M> type,
      String name) {
    return gateway.watch(type, name);
  }

  private static List<String> listenerNames(StatusOr<Listener> index) {
    return GatewayXdsClient.listenerNames(index);
  }

  @Test
  void listenersOpenAndCloseAsTheGatewayIsAppliedAndDeleted() {
    AtomicReference<StatusOr<Listener>> index = watch(GatewayXdsClient.LDS,
        MeshXdsNames.GATEWAY_LISTENERS);
    await().atMost(Duration.ofSeconds(10)).until(() -> listenerNames(index.get()),
        names -> names != null && names.isEmpty());

    assertThat(cp.apply(GATEWAY + "---\n" + VIRTUAL_SERVICE).all()).isEmpty();
    await().atMost(Duration.ofSeconds(10)).until(() -> listenerNames(index.get()),
        names -> List.of("0.0.0.0_8080").equals(names));

    AtomicReference<StatusOr<Listener>> port = watch(GatewayXdsClient.LDS,
        "0.0.0.0_8080");
    AtomicReference<StatusOr<RouteConfiguration>> routes =
        watch(GatewayXdsClient.RDS, "http.8080");
    await().atMost(Duration.ofSeconds(10)).until(() -> port.get() != null
        && routes.get() != null && routes.get().hasValue());
    assertThat(port.get().getValue().getAddress().getSocketAddress().getPortValue())
        .isEqualTo(8080);
    assertThat(routes.get().getValue().getVirtualHosts(0).getRoutesList())
        .extracting(r -> r.getMatch().hasPath() ? r.getMatch().getPath()
            : "prefix " + r.getMatch().getPrefix(), (Route r) -> r.getRoute().getCluster())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("/productpage",
                "outbound|9080||productpage.default.svc.cluster.local"),
            org.assertj.core.groups.Tuple.tuple("prefix /static",
                "outbound|9080||productpage.default.svc.cluster.local"));

    cp.delete(GATEWAY);
    await().atMost(Duration.ofSeconds(10)).until(() -> listenerNames(index.get()),
        names -> names != null && names.isEmpty());
    // the listener itself is gone from the snapshot too
    await().atMost(Duration.ofSeconds(10)).until(() -> !port.get().hasValue());
  }

  @Test
  void aServerAddedToTheGatewayOpensAnotherListener() {
    AtomicReference<StatusOr<Listener>> index = watch(GatewayXdsClient.LDS,
        MeshXdsNames.GATEWAY_LISTENERS);
    cp.apply(GATEWAY);
    await().atMost(Duration.ofSeconds(10)).until(() -> listenerNames(index.get()),
        names -> List.of("0.0.0.0_8080").equals(names));

    assertThat(cp.apply(GATEWAY + """
          - port: {number: 8443, name: https, protocol: HTTPS}
            hosts: ["*"]
            tls: {mode: SIMPLE, serverCertificate: /c.pem, privateKey: /k.pem}
        """).errors()).isEmpty();

    await().atMost(Duration.ofSeconds(10)).until(() -> listenerNames(index.get()),
        names -> List.of("0.0.0.0_8080", "0.0.0.0_8443").equals(names));
  }
}
