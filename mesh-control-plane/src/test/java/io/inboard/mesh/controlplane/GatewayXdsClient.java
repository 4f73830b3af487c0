package io.inboard.mesh.controlplane;

import com.google.protobuf.Message;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.grpc.Status;
import io.grpc.StatusOr;
import io.grpc.xds.client.XdsClient;
import io.inboard.mesh.api.internal.MeshXdsNames;
import io.inboard.mesh.api.internal.NodeMetadataKeys;
import io.inboard.mesh.xds.internal.InProcessXdsBootstrap;
import io.inboard.mesh.xds.internal.RawResourceType;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A grpc-xds client that announces itself as the ingress gateway workload (namespace {@code
 * istio-system}, labels {@code istio: ingressgateway} and {@code app: istio-ingressgateway}),
 * as the gateway data plane does, and keeps the latest update of each resource it watches.
 */
public final class GatewayXdsClient implements AutoCloseable {
  // one instance per type, as a data plane holds them: grpc-xds keys subscriptions by type
  // instance, and two instances of one type URL would each send their own names
  public static final RawResourceType<Listener> LDS = RawResourceType.listeners(l -> null);
  public static final RawResourceType<RouteConfiguration> RDS =
      RawResourceType.routes(r -> null);

  private final InProcessXdsBootstrap.SharedClient lease;
  private final ExecutorService xdsThread = Executors.newSingleThreadExecutor();

  public GatewayXdsClient(String controlPlane) {
    lease = InProcessXdsBootstrap.sharedClient(InProcessXdsBootstrap.bootstrap(
        List.of(controlPlane), "router~istio-ingressgateway-1",
        Map.of(NodeMetadataKeys.NAMESPACE, "istio-system", NodeMetadataKeys.LABELS,
            Map.of("istio", "ingressgateway", "app", "istio-ingressgateway"))));
  }

  /** The latest update of one watched resource: the resource, or why there is none. */
  public <M extends Message> AtomicReference<StatusOr<M>> watch(RawResourceType<M> type,
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

  /** Watches the gateway index Listener. */
  public AtomicReference<StatusOr<Listener>> watchIndex() {
    return watch(LDS, MeshXdsNames.GATEWAY_LISTENERS);
  }

  /** The listener names an index update lists; null before one arrived. */
  public static List<String> listenerNames(StatusOr<Listener> index) {
    if (index == null || !index.hasValue()) {
      return null;
    }
    return index.getValue().getMetadata().getFilterMetadataOrThrow(MeshXdsNames.METADATA_FILTER)
        .getFieldsOrThrow(MeshXdsNames.GATEWAY_LISTENER_NAMES).getListValue().getValuesList()
        .stream().map(Value::getStringValue).toList();
  }

  @Override
  public void close() {
    lease.close();
    xdsThread.shutdownNow();
  }
}
