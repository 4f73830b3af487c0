package io.inboard.mesh.grpc.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Any;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.cluster.v3.CircuitBreakers;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.RoutingPriority;
import io.envoyproxy.envoy.config.core.v3.SelfConfigSource;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.common.fault.v3.FaultDelay;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.FaultAbort;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.type.v3.FractionalPercent;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import io.inboard.mesh.api.Mesh;
import io.inboard.mesh.api.internal.InternalMesh;
import io.inboard.mesh.api.internal.telemetry.RequestReport;
import io.inboard.mesh.api.internal.telemetry.RequestReport.Reporter;
import io.inboard.mesh.grpc.MeshChannels;
import io.inboard.mesh.grpc.mtls.TestAds;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Response flags that grpc-xds's own failures map to, on a real xDS client fed by a hand-fed
 * ADS server, calling reviews on 127.0.0.1; and the Istio cluster name grpc-xds picked from.
 */
class XdsResponseFlagsTest {

  private static final String FQDN = "reviews.default.svc.cluster.local";

  private TelemetryWorkloads w;
  private TestAds ads;
  private Mesh xdsClient;
  private final RecordingTelemetry telemetry = new RecordingTelemetry();
  private String listener;
  private String v1;

  @BeforeEach
  void start() throws Exception {
    w = new TelemetryWorkloads();
    ads = new TestAds();
    xdsClient = Mesh.builder().workloadName("productpage-v1").namespace("default")
        .label("app", "productpage").label("version", "v1").controlPlane(ads.address())
        .adminPort(-1).build();
    InternalMesh.replaceTelemetry(xdsClient, telemetry);
    listener = FQDN + ":" + w.reviews.getPort();
    v1 = "outbound|" + w.reviews.getPort() + "|v1|" + FQDN;
  }

  @AfterEach
  void stop() throws Exception {
    xdsClient.close();
    ads.close();
    w.close();
  }

  @Test
  void answeredCall_namesTheSubsetClusterGrpcXdsPicked() {
    serve(route(v1), TestAds.edsCluster(v1), w.reviews.getPort());

    SimpleServiceGrpc.newBlockingStub(channel()).withDeadlineAfter(10, TimeUnit.SECONDS)
        .unaryRpc(SimpleRequest.newBuilder().setRequestMessage("hi").build());

    RequestReport r = telemetry.awaitReport(Reporter.SOURCE);
    assertThat(r.details().upstreamCluster()).isEqualTo(v1);
    assertThat(r.details().upstreamHost()).isEqualTo(w.reviewsAddress());
    assertThat(r.responseFlags()).isEqualTo("-");
  }

  @Test
  void noMatchingRoute_isNR() {
    serve(Route.newBuilder().setMatch(RouteMatch.newBuilder().setPath("/no.Such/Method"))
        .setRoute(RouteAction.newBuilder().setCluster(v1)).build(), TestAds.edsCluster(v1),
        w.reviews.getPort());

    assertFailure("hi", Status.Code.UNAVAILABLE, "NR");
  }

  @Test
  void routeToRejectedCluster_isNC() {
    // grpc-xds NACKs a STATIC cluster: like Envoy after a rejected CDS update, it has no such
    // cluster (a cluster merely absent from CDS would take its 15 s does-not-exist timer)
    String ratings = "outbound|9080||ratings.default.svc.cluster.local";
    RouteConfiguration routes = RouteConfiguration.newBuilder().setName(listener)
        .addVirtualHosts(VirtualHost.newBuilder().setName(FQDN).addDomains("*")
            .addRoutes(route(ratings)))
        .build();
    ads.serve(List.of(TestAds.edsCluster(ratings).setType(Cluster.DiscoveryType.STATIC).build()),
        List.of(), List.of(TestAds.apiListener(listener)), List.of(routes));

    assertFailure("hi", Status.Code.UNAVAILABLE, "NC");
  }

  @Test
  void clusterWithoutEndpoints_isUH() {
    serve(route(v1), TestAds.edsCluster(v1));

    assertFailure("hi", Status.Code.UNAVAILABLE, "UH");
  }

  @Test
  void faultAbort_isFI() {
    HTTPFault abort = HTTPFault.newBuilder().setAbort(FaultAbort.newBuilder().setGrpcStatus(14)
        .setPercentage(hundredPercent())).build();
    serve(route(v1), TestAds.edsCluster(v1), List.of(fault(abort)), w.reviews.getPort());

    assertFailure("hi", Status.Code.UNAVAILABLE, "FI");
    assertThat(w.reviewsCalls).hasValue(0);
  }

  @Test
  void faultDelayRunningIntoTheDeadline_isUTAndDI() {
    HTTPFault delay = HTTPFault.newBuilder().setDelay(FaultDelay.newBuilder()
        .setFixedDelay(com.google.protobuf.Duration.newBuilder().setSeconds(30))
        .setPercentage(hundredPercent())).build();
    serve(route(v1), TestAds.edsCluster(v1), List.of(fault(delay)), w.reviews.getPort());
    assertThatThrownBy(() -> SimpleServiceGrpc.newBlockingStub(channel())
        .withDeadlineAfter(2, TimeUnit.SECONDS)
        .unaryRpc(SimpleRequest.newBuilder().setRequestMessage("hi").build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e ->
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));

    RequestReport r = telemetry.awaitReport(Reporter.SOURCE);
    assertThat(List.of(r.responseFlags(), r.responseCode(), r.grpcStatus()))
        .containsExactly("UT,DI", 0, "4");
    // the delay runs before grpc-xds picks, so no pick named the cluster: the channel's is used
    assertThat(telemetry.health).containsExactly(
        "TIMEOUT outbound|" + w.reviews.getPort() + "||" + FQDN);
  }

  @Test
  void clusterRequestLimitReached_isUO_andCountsAnOverflow() {
    // grpc-xds 1.85.1 counts a cluster's requests in flight only when it reports load (LRS)
    Cluster.Builder limited = TestAds.edsCluster(v1)
        .setLrsServer(ConfigSource.newBuilder().setSelf(SelfConfigSource.getDefaultInstance()))
        .setCircuitBreakers(CircuitBreakers
        .newBuilder().addThresholds(CircuitBreakers.Thresholds.newBuilder()
            .setPriority(RoutingPriority.DEFAULT).setMaxRequests(UInt32Value.of(1))));
    serve(route(v1), limited, w.reviews.getPort());
    ManagedChannel channel = channel();
    SimpleServiceGrpc.newStub(channel).unaryRpc(
        SimpleRequest.newBuilder().setRequestMessage("hang").build(), new Ignore());
    await().until(() -> !w.hanging.isEmpty());

    assertFailure("hi", Status.Code.UNAVAILABLE, "UO");
    assertThat(telemetry.health).containsExactly("OVERFLOW " + v1);
  }

  private void assertFailure(String message, Status.Code code, String flags) {
    assertThatThrownBy(() -> SimpleServiceGrpc.newBlockingStub(channel())
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .unaryRpc(SimpleRequest.newBuilder().setRequestMessage(message).build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e ->
            assertThat(e.getStatus().getCode()).as(e.getStatus().toString()).isEqualTo(code));
    RequestReport r = telemetry.awaitReport(Reporter.SOURCE);
    assertThat(List.of(r.responseFlags(), r.responseCode(), r.grpcStatus()))
        .as("flags, response code, grpc status")
        .containsExactly(flags, 0, Integer.toString(code.value()));
  }

  private ManagedChannel channel() {
    return MeshChannels.forService(xdsClient, "reviews:" + w.reviews.getPort()).build();
  }

  private static Route route(String cluster) {
    return Route.newBuilder().setMatch(RouteMatch.newBuilder().setPrefix(""))
        .setRoute(RouteAction.newBuilder().setCluster(cluster)).build();
  }

  private void serve(Route route, Cluster.Builder cluster, int... ports) {
    serve(route, cluster, List.of(), ports);
  }

  private void serve(Route route, Cluster.Builder cluster, List<HttpFilter> filters,
      int... ports) {
    RouteConfiguration routes = RouteConfiguration.newBuilder().setName(listener)
        .addVirtualHosts(VirtualHost.newBuilder().setName(FQDN).addDomains("*").addRoutes(route))
        .build();
    Cluster c = cluster.build();
    ads.serve(List.of(c), List.of(TestAds.endpoints(c.getName(), ports)),
        List.of(TestAds.apiListener(listener, filters.toArray(HttpFilter[]::new))),
        List.of(routes));
  }

  private static HttpFilter fault(HTTPFault config) {
    return HttpFilter.newBuilder().setName("envoy.filters.http.fault")
        .setTypedConfig(Any.pack(config)).build();
  }

  private static FractionalPercent hundredPercent() {
    return FractionalPercent.newBuilder().setNumerator(100)
        .setDenominator(FractionalPercent.DenominatorType.HUNDRED).build();
  }

  private static final class Ignore implements StreamObserver<SimpleResponse> {
    @Override
    public void onNext(SimpleResponse value) {}

    @Override
    public void onError(Throwable t) {}

    @Override
    public void onCompleted() {}
  }
}
