package io.inboard.mesh.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Message;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.grpc.Status;
import io.grpc.StatusOr;
import io.grpc.xds.client.XdsClient;
import io.inboard.mesh.api.internal.MeshXdsNames;
import io.inboard.mesh.api.internal.NodeMetadataKeys;
import io.inboard.mesh.xds.internal.InProcessXdsBootstrap;
import io.inboard.mesh.xds.internal.RawResourceType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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

  // one instance per type, as a data plane holds them: grpc-xds keys subscriptions by type
  // instance, and two instances of one type URL would each send their own names
  private static final RawResourceType<Listener> LDS = RawResourceType.listeners(l -> null);
  private static final RawResourceType<RouteConfiguration> RDS =
      RawResourceType.routes(r -> null);

  private ControlPlane cp;
  private InProcessXdsBootstrap.SharedClient lease;
  private final ExecutorService xdsThread = Executors.newSingleThreadExecutor();

  @BeforeEach
  void start() throws Exception {
    cp = ControlPlane.builder().xdsPort(0).start();
    cp.register(new ServiceEndpoint("productpage.default.svc.cluster.local", 9080, "127.0.0.2",
        Map.of("app", "productpage")));
    lease = InProcessXdsBootstrap.sharedClient(InProcessXdsBootstrap.bootstrap(
        List.of(cp.xdsAddress()), "router~istio-ingressgateway-1",
        Map.of(NodeMetadataKeys.NAMESPACE, "istio-system", NodeMetadataKeys.LABELS,
            Map.of("istio", "ingressgateway", "app", "istio-ingressgateway"))));
  }

  @AfterEach
  void stop() throws Exception {
    lease.close();
    cp.close();
    xdsThread.shutdownNow();
  }

  /** The latest update of one watched resource: the resource, or why there is none. */
  private <M extends Message> AtomicReference<StatusOr<M>> watch(RawResourceType<M> type,
      String name) {
    AtomicReference<StatusOr<M>> latest = new AtomicReference<>();
    lease.client().watchXdsResource(type, name, new XdsClient.ResourceWatcher<>() {
      @Override
      public void onResourceChanged(StatusOr<RawResourceType.Update<M>> update) {
        latest.set(update.hasValue() ? StatusOr.fromValue(update.getValue().resource())
            : StatusOr.fromStatus(update.getStatus()));
      }

      @Override
      public void onAmbientError(Status error) {}
    }, xdsThread);
    return latest;
  }

  private static List<String> listenerNames(StatusOr<Listener> index) {
    if (index == null || !index.hasValue()) {
      return null;
    }
    return index.getValue().getMetadata().getFilterMetadataOrThrow(MeshXdsNames.METADATA_FILTER)
        .getFieldsOrThrow(MeshXdsNames.GATEWAY_LISTENER_NAMES).getListValue().getValuesList()
        .stream().map(Value::getStringValue).toList();
  }

  @Test
  void listenersOpenAndCloseAsTheGatewayIsAppliedAndDeleted() {
    AtomicReference<StatusOr<Listener>> index = watch(LDS,
        MeshXdsNames.GATEWAY_LISTENERS);
    await().atMost(Duration.ofSeconds(10)).until(() -> listenerNames(index.get()),
        names -> names != null && names.isEmpty());

    assertThat(cp.apply(GATEWAY + "---\n" + VIRTUAL_SERVICE).all()).isEmpty();
    await().atMost(Duration.ofSeconds(10)).until(() -> listenerNames(index.get()),
        names -> List.of("0.0.0.0_8080").equals(names));

    AtomicReference<StatusOr<Listener>> port = watch(LDS,
        "0.0.0.0_8080");
    AtomicReference<StatusOr<RouteConfiguration>> routes =
        watch(RDS, "http.8080");
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
    AtomicReference<StatusOr<Listener>> index = watch(LDS,
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
