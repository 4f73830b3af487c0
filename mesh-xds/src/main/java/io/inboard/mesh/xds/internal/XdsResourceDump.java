package io.inboard.mesh.xds.internal;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.grpc.xds.client.XdsClient;
import io.grpc.xds.client.XdsClient.ResourceMetadata;
import io.grpc.xds.client.XdsResourceType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What an xDS client holds, for a workload's {@code /debug/config_dump}: every subscribed
 * resource with its status as grpc-xds tracks it for CSDS ({@code ACKED}, {@code NACKED},
 * {@code REQUESTED}, {@code DOES_NOT_EXIST}, ...), the version, the NACK's error, and the
 * resource itself as JSON. Only public (experimental) {@link XdsClient} API is used.
 */
public final class XdsResourceDump {

  private static final JsonFormat.Printer PRINTER = JsonFormat.printer()
      .usingTypeRegistry(JsonFormat.TypeRegistry.newBuilder()
          .add(List.of(Listener.getDescriptor(), RouteConfiguration.getDescriptor(),
              Cluster.getDescriptor(), ClusterLoadAssignment.getDescriptor(),
              HttpConnectionManager.getDescriptor(), HTTPFault.getDescriptor(),
              Router.getDescriptor()))
          .build())
      .omittingInsignificantWhitespace();

  /** The key of the control-plane connection states in a dump. */
  public static final String CONNECTIONS = "control_plane_connections";

  private XdsResourceDump() {}

  // grpc-xds reports each server's state on its own thread; a second bounds the wait
  private static Map<String, Object> connections(XdsClient client) {
    Map<String, Object> states = new java.util.concurrent.ConcurrentSkipListMap<>();
    try {
      client.reportServerConnections((connected, target) -> states.put(target, connected))
          .get(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      return Map.of();
    }
    return new TreeMap<>(states);
  }

  /**
   * The resources {@code client} is subscribed to, grouped by type URL then name, and under
   * {@value #CONNECTIONS} each control plane's address and whether the client's stream to it is
   * up.
   *
   * @return maps and lists of strings, numbers and booleans; an {@code error} entry when the
   *     client did not answer within a second
   */
  public static Map<String, Object> of(XdsClient client) {
    Map<XdsResourceType<?>, Map<String, ResourceMetadata>> snapshot;
    try {
      snapshot = client.getSubscribedResourcesMetadataSnapshot().get(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Map.of("error", "interrupted");
    } catch (ExecutionException | TimeoutException e) {
      return Map.of("error", "the xDS client did not report its resources: " + e);
    }
    Map<String, Object> byType = new TreeMap<>();
    Map<String, Object> connections = connections(client);
    if (!connections.isEmpty()) {
      byType.put(CONNECTIONS, connections);
    }
    snapshot.forEach((type, resources) -> {
      Map<String, Object> byName = new TreeMap<>();
      resources.forEach((name, m) -> byName.put(name, entry(m)));
      byType.merge(type.typeUrl(), byName, (a, b) -> {
        @SuppressWarnings("unchecked")
        Map<String, Object> merged = new TreeMap<>((Map<String, Object>) a);
        @SuppressWarnings("unchecked")
        Map<String, Object> more = (Map<String, Object>) b;
        merged.putAll(more);
        return merged;
      });
    });
    return byType;
  }

  private static Map<String, Object> entry(ResourceMetadata m) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("status", m.getStatus().name());
    e.put("version", m.getVersion());
    ResourceMetadata.UpdateFailureState failure = m.getErrorState();
    if (failure != null) {
      Map<String, Object> nack = new LinkedHashMap<>();
      nack.put("version", failure.getFailedVersion());
      nack.put("details", failure.getFailedDetails());
      e.put("nack", nack);
    }
    Any raw = m.getRawResource();
    if (raw != null) {
      e.put("resource", json(raw));
    }
    return e;
  }

  private static Object json(Any raw) {
    try {
      Struct.Builder s = Struct.newBuilder();
      JsonFormat.parser().merge(PRINTER.print(raw), s);
      return value(Value.newBuilder().setStructValue(s).build());
    } catch (InvalidProtocolBufferException e) {
      return "(" + raw.getTypeUrl() + ", " + raw.getValue().size() + " bytes: " + e.getMessage()
          + ")";
    }
  }

  private static Object value(Value v) {
    return switch (v.getKindCase()) {
      case STRUCT_VALUE -> {
        Map<String, Object> m = new LinkedHashMap<>();
        v.getStructValue().getFieldsMap().forEach((k, x) -> m.put(k, value(x)));
        yield m;
      }
      case LIST_VALUE -> {
        ListValue l = v.getListValue();
        List<Object> out = new ArrayList<>(l.getValuesCount());
        l.getValuesList().forEach(x -> out.add(value(x)));
        yield out;
      }
      case STRING_VALUE -> v.getStringValue();
      case NUMBER_VALUE -> v.getNumberValue();
      case BOOL_VALUE -> v.getBoolValue();
      default -> null;
    };
  }
}
