package io.grpc.xds;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.Status;
import io.grpc.StatusOr;
import io.grpc.xds.VirtualHost.Route;
import io.grpc.xds.VirtualHost.Route.RouteAction;
import io.grpc.xds.VirtualHost.Route.RouteAction.ClusterWeight;
import io.grpc.xds.XdsRouteConfigureResource.RdsUpdate;
import io.grpc.xds.client.Bootstrapper;
import io.grpc.xds.client.BackendMetricPropagation;
import io.grpc.xds.client.LoadReportClient;
import io.grpc.xds.client.LoadStatsManager2;
import io.grpc.xds.client.Locality;
import io.grpc.xds.client.XdsClient;
import io.grpc.xds.client.XdsResourceType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;

/**
 * The xDS client grpc-xds's resolver sees: the shared client, except that in each
 * RouteConfiguration delivered to it, a route that carries Inboard's route filter config has its
 * timeout and retry policy moved from the route action into that config, as an {@link
 * InboardRouteMethodConfig}.
 *
 * <p>Why: grpc-xds builds and parses a service config on every call of a route with a timeout or
 * retry policy (and Inboard's control plane gives every route Istio's default retry policy).
 * Moved, they are built once per RouteConfiguration, and the filter hands grpc the very same
 * per-method config on each call. Routes without Inboard's filter config (another control
 * plane's, or an inline route table) reach grpc-xds unchanged, so nothing is lost where the
 * filter would not run.
 *
 * <p>What Inboard's control plane guarantees and this relies on: its listeners carry no {@code
 * max_stream_duration} of their own, so grpc-xds's listener-wide fallback timeout never applies
 * to a route whose own timeout was moved.
 */
final class InboardResolverClient extends XdsClient {

  private final XdsClient delegate;
  private final Map<WatchKey, XdsClient.ResourceWatcher<?>> wrapped = new ConcurrentHashMap<>();

  InboardResolverClient(XdsClient delegate) {
    this.delegate = delegate;
  }

  private record WatchKey(XdsResourceType<?> type, String name, Object watcher) {}

  @Override
  public <T extends ResourceUpdate> void watchXdsResource(XdsResourceType<T> type,
      String resourceName, ResourceWatcher<T> watcher, Executor executor) {
    if (type != XdsRouteConfigureResource.getInstance() || !InboardGrpcBridge.canBuildMethodInfo()) {
      delegate.watchXdsResource(type, resourceName, watcher, executor);
      return;
    }
    @SuppressWarnings("unchecked")
    ResourceWatcher<T> routes = (ResourceWatcher<T>) new RouteWatcher(
        (ResourceWatcher<RdsUpdate>) watcher);
    wrapped.put(new WatchKey(type, resourceName, watcher), routes);
    delegate.watchXdsResource(type, resourceName, routes, executor);
  }

  @Override
  public <T extends ResourceUpdate> void cancelXdsResourceWatch(XdsResourceType<T> type,
      String resourceName, ResourceWatcher<T> watcher) {
    @SuppressWarnings("unchecked")
    ResourceWatcher<T> routes =
        (ResourceWatcher<T>) wrapped.remove(new WatchKey(type, resourceName, watcher));
    delegate.cancelXdsResourceWatch(type, resourceName, routes != null ? routes : watcher);
  }

  /** Passes RouteConfigurations on with method configs moved (see the class comment). */
  private record RouteWatcher(ResourceWatcher<RdsUpdate> watcher)
      implements ResourceWatcher<RdsUpdate> {
    @Override
    public void onResourceChanged(StatusOr<RdsUpdate> update) {
      watcher.onResourceChanged(update.hasValue()
          ? StatusOr.fromValue(moveMethodConfigs(update.getValue())) : update);
    }

    @Override
    public void onAmbientError(Status error) {
      watcher.onAmbientError(error);
    }
  }

  /** {@code update} with every eligible route's method config moved; the same object if none. */
  static RdsUpdate moveMethodConfigs(RdsUpdate update) {
    List<VirtualHost> hosts = new ArrayList<>(update.virtualHosts.size());
    boolean changed = false;
    for (VirtualHost host : update.virtualHosts) {
      List<Route> routes = new ArrayList<>(host.routes().size());
      boolean hostChanged = false;
      for (Route route : host.routes()) {
        Route moved = moveMethodConfig(route);
        hostChanged |= moved != route;
        routes.add(moved);
      }
      hosts.add(hostChanged ? VirtualHost.create(host.name(), host.domains(), routes,
          host.filterConfigOverrides()) : host);
      changed |= hostChanged;
    }
    return changed ? new RdsUpdate(hosts) : update;
  }

  private static Route moveMethodConfig(Route route) {
    RouteAction action = route.routeAction();
    if (action == null || !hasInboardConfig(route.filterConfigOverrides())) {
      return route;
    }
    // grpc-xds ignores route timeouts when its timeout flag is off; so does the moved config
    Long timeout = XdsNameResolver.enableTimeout ? action.timeoutNano() : null;
    if (timeout == null && action.retryPolicy() == null) {
      return route;
    }
    InboardRouteMethodConfig config = InboardRouteMethodConfig.of(timeout, action.retryPolicy());
    RouteAction stripped;
    if (action.cluster() != null) {
      stripped = RouteAction.forCluster(action.cluster(), action.hashPolicies(), null, null,
          action.autoHostRewrite());
    } else if (action.weightedClusters() != null) {
      List<ClusterWeight> weights = new ArrayList<>(action.weightedClusters().size());
      for (ClusterWeight w : action.weightedClusters()) {
        weights.add(ClusterWeight.create(w.name(), w.weight(),
            withMethodConfig(w.filterConfigOverrides(), config)));
      }
      stripped = RouteAction.forWeightedClusters(weights, action.hashPolicies(), null, null,
          action.autoHostRewrite());
    } else {
      stripped = RouteAction.forClusterSpecifierPlugin(action.namedClusterSpecifierPluginConfig(),
          action.hashPolicies(), null, null, action.autoHostRewrite());
    }
    return Route.forAction(route.routeMatch(), stripped,
        withMethodConfig(route.filterConfigOverrides(), config));
  }

  private static boolean hasInboardConfig(Map<String, Filter.FilterConfig> overrides) {
    for (Filter.FilterConfig c : overrides.values()) {
      if (c instanceof InboardGrpcBridge.ParsedConfig<?>) {
        return true;
      }
    }
    return false;
  }

  private static Map<String, Filter.FilterConfig> withMethodConfig(
      Map<String, Filter.FilterConfig> overrides, InboardRouteMethodConfig config) {
    if (!hasInboardConfig(overrides)) {
      return overrides;
    }
    Map<String, Filter.FilterConfig> out = new HashMap<>(overrides);
    out.replaceAll((name, c) -> c instanceof InboardGrpcBridge.ParsedConfig<?> p
        ? p.withMethodConfig(config) : c);
    return out;
  }

  // Everything else is the shared client's.

  @Override
  public void shutdown() {
    delegate.shutdown();
  }

  @Override
  public boolean isShutDown() {
    return delegate.isShutDown();
  }

  @Override
  public Bootstrapper.BootstrapInfo getBootstrapInfo() {
    return delegate.getBootstrapInfo();
  }

  @Override
  public Object getSecurityConfig() {
    return delegate.getSecurityConfig();
  }

  @Override
  public ListenableFuture<Map<XdsResourceType<?>, Map<String, ResourceMetadata>>>
      getSubscribedResourcesMetadataSnapshot() {
    return delegate.getSubscribedResourcesMetadataSnapshot();
  }

  @Override
  public LoadStatsManager2.ClusterDropStats addClusterDropStats(
      Bootstrapper.ServerInfo serverInfo, String clusterName, String edsServiceName) {
    return delegate.addClusterDropStats(serverInfo, clusterName, edsServiceName);
  }

  @Override
  public LoadStatsManager2.ClusterLocalityStats addClusterLocalityStats(
      Bootstrapper.ServerInfo serverInfo, String clusterName, String edsServiceName,
      Locality locality) {
    return delegate.addClusterLocalityStats(serverInfo, clusterName, edsServiceName, locality);
  }

  @Override
  public LoadStatsManager2.ClusterLocalityStats addClusterLocalityStats(
      Bootstrapper.ServerInfo serverInfo, String clusterName, String edsServiceName,
      Locality locality, BackendMetricPropagation propagation) {
    return delegate.addClusterLocalityStats(serverInfo, clusterName, edsServiceName, locality,
        propagation);
  }

  @Override
  public Map<Bootstrapper.ServerInfo, LoadReportClient> getServerLrsClientMap() {
    return delegate.getServerLrsClientMap();
  }

  @Override
  public Future<Void> reportServerConnections(ServerConnectionCallback callback) {
    return delegate.reportServerConnections(callback);
  }
}
