package io.grpc.xds;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Duration;
import io.grpc.CallOptions;
import io.grpc.Status;
import io.grpc.StatusOr;
import io.grpc.xds.VirtualHost.Route;
import io.grpc.xds.VirtualHost.Route.RouteAction;
import io.grpc.xds.VirtualHost.Route.RouteAction.ClusterWeight;
import io.grpc.xds.VirtualHost.Route.RouteAction.RetryPolicy;
import io.grpc.xds.VirtualHost.Route.RouteMatch;
import io.grpc.xds.XdsRouteConfigureResource.RdsUpdate;
import io.grpc.xds.client.XdsClient;
import io.grpc.xds.client.XdsResourceType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Routes carrying Inboard's filter config reach grpc-xds with their method config moved. */
class InboardResolverClientTest {

  private static final String FILTER = "inboard.grpc_route";
  private static final long TWO_SECONDS = 2_000_000_000L;
  private static final RetryPolicy RETRY = RetryPolicy.create(3,
      List.of(Status.Code.UNAVAILABLE), Duration.newBuilder().setNanos(25_000_000).build(),
      Duration.newBuilder().setNanos(250_000_000).build(), null);
  private static final InboardGrpcBridge.ParsedConfig<String> INBOARD =
      new InboardGrpcBridge.ParsedConfig<>("type.googleapis.com/envoy.config.route.v3.Route",
          "route policy", null);

  private static Route route(RouteAction action, Map<String, Filter.FilterConfig> overrides) {
    return Route.forAction(RouteMatch.withPathExactOnly("/svc/Method"), action, overrides);
  }

  private static RdsUpdate rds(Route... routes) {
    return new RdsUpdate(List.of(VirtualHost.create("vh", List.of("*"), List.of(routes),
        Map.of())));
  }

  private static Route only(RdsUpdate update) {
    return update.virtualHosts.get(0).routes().get(0);
  }

  private static InboardRouteMethodConfig movedConfig(Map<String, Filter.FilterConfig> overrides) {
    return ((InboardGrpcBridge.ParsedConfig<?>) overrides.get(FILTER)).methodConfig();
  }

  @Test
  void timeoutAndRetryPolicyMoveIntoTheFilterConfig_asTheMethodConfigGrpcWouldBuildPerCall() {
    RdsUpdate in = rds(route(RouteAction.forCluster("c", List.of(), TWO_SECONDS, RETRY, false),
        Map.of(FILTER, INBOARD)));

    Route out = only(InboardResolverClient.moveMethodConfigs(in));

    assertThat(out.routeAction().timeoutNano()).isNull();
    assertThat(out.routeAction().retryPolicy()).isNull();
    assertThat(out.routeAction().cluster()).isEqualTo("c");
    InboardRouteMethodConfig config = movedConfig(out.filterConfigOverrides());
    assertThat(config).isEqualTo(InboardRouteMethodConfig.of(TWO_SECONDS, RETRY));
    assertThat(config.isEmpty()).isFalse();
    // the MethodInfo grpc's config selector would have put on the call
    assertThat(config.applyTo(CallOptions.DEFAULT).toString())
        .contains("timeoutNanos=" + TWO_SECONDS).contains("maxAttempts=3")
        .contains("UNAVAILABLE");
    assertThat(((InboardGrpcBridge.ParsedConfig<?>) out.filterConfigOverrides().get(FILTER))
        .value()).isEqualTo("route policy");
  }

  @Test
  void eachWeightedClustersFilterConfigGetsTheRoutesMethodConfig() {
    RouteAction split = RouteAction.forWeightedClusters(List.of(
        ClusterWeight.create("v1", 90, Map.of(FILTER, INBOARD)),
        ClusterWeight.create("v2", 10, Map.of())), List.of(), null, RETRY, false);

    Route out = only(InboardResolverClient.moveMethodConfigs(
        rds(route(split, Map.of(FILTER, INBOARD)))));

    assertThat(out.routeAction().retryPolicy()).isNull();
    List<ClusterWeight> weights = out.routeAction().weightedClusters();
    assertThat(weights).extracting(ClusterWeight::name).containsExactly("v1", "v2");
    assertThat(weights).extracting(ClusterWeight::weight).containsExactly(90L, 10L);
    InboardRouteMethodConfig expected = InboardRouteMethodConfig.of(null, RETRY);
    assertThat(movedConfig(weights.get(0).filterConfigOverrides())).isEqualTo(expected);
    // no config of its own: the route's applies to it, as grpc-xds picks the most specific
    assertThat(weights.get(1).filterConfigOverrides()).isEmpty();
    assertThat(movedConfig(out.filterConfigOverrides())).isEqualTo(expected);
  }

  @Test
  void routesWithoutInboardsFilterConfig_orWithoutPolicies_reachGrpcXdsUnchanged() {
    Route foreign = route(RouteAction.forCluster("c", List.of(), TWO_SECONDS, RETRY, false),
        Map.of());
    Route nothingToMove = route(RouteAction.forCluster("c", List.of(), null, null, false),
        Map.of(FILTER, INBOARD));
    RdsUpdate in = rds(foreign, nothingToMove);

    assertThat(InboardResolverClient.moveMethodConfigs(in)).isSameAs(in);
  }

  @Test
  void onlyRouteConfigurationWatchesAreRewritten_andCancellingFindsTheWrappedWatcher() {
    RecordingClient shared = new RecordingClient();
    XdsClient client = InboardGrpcBridge.resolverClient(shared);
    AtomicReference<RdsUpdate> seen = new AtomicReference<>();
    XdsClient.ResourceWatcher<RdsUpdate> watcher = new XdsClient.ResourceWatcher<>() {
      @Override
      public void onResourceChanged(StatusOr<RdsUpdate> update) {
        seen.set(update.getValue());
      }

      @Override
      public void onAmbientError(Status error) {}
    };

    client.watchXdsResource(XdsRouteConfigureResource.getInstance(), "routes", watcher,
        Runnable::run);
    @SuppressWarnings("unchecked")
    XdsClient.ResourceWatcher<RdsUpdate> registered =
        (XdsClient.ResourceWatcher<RdsUpdate>) shared.watchers.get(0);
    registered.onResourceChanged(StatusOr.fromValue(rds(route(
        RouteAction.forCluster("c", List.of(), TWO_SECONDS, null, false),
        Map.of(FILTER, INBOARD)))));
    client.cancelXdsResourceWatch(XdsRouteConfigureResource.getInstance(), "routes", watcher);

    assertThat(registered).isNotSameAs(watcher);
    assertThat(only(seen.get()).routeAction().timeoutNano()).isNull();
    assertThat(shared.cancelled).containsExactly(registered);
  }

  /** The shared client's side: which watchers it was given and which were cancelled. */
  private static final class RecordingClient extends XdsClient {
    final List<Object> watchers = new ArrayList<>();
    final List<Object> cancelled = new ArrayList<>();

    @Override
    public <T extends ResourceUpdate> void watchXdsResource(XdsResourceType<T> type,
        String resourceName, ResourceWatcher<T> watcher, Executor executor) {
      watchers.add(watcher);
    }

    @Override
    public <T extends ResourceUpdate> void cancelXdsResourceWatch(XdsResourceType<T> type,
        String resourceName, ResourceWatcher<T> watcher) {
      cancelled.add(watcher);
    }
  }
}
